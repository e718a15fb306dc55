"""What is wrong with a question tree: each problem with its file, line and owner id."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        location = f"{self.file}:{self.line}"
        return (
            f"{location}: {self.where}: {self.message}"
            if self.where
            else (f"{location}: {self.message}")
        )


class TreeError(Exception):
    """A question tree that cannot be used; `problems` lists every mistake found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda problem: (problem.line, problem.where))
        count = len(self.problems)
        heading = f"The question tree has {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n".join([heading, *(f"  {problem}" for problem in self.problems)]))
