# Loaded by the `flask` command only (python-dotenv), never by gunicorn: local runs keep a
# random secret key in instance/secret_key; production must set AUDIT_SECRET_KEY.
AUDIT_SECRET_KEY_FILE=instance/secret_key
