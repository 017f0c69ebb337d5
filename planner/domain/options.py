"""Options: several named plans over one centre table, each with its own settings and log.

A :class:`PlanBook` holds the options of one plan file and which one is current. Each
:class:`Option` is a :class:`~planner.domain.plan.Plan` with its constraints and its
:class:`~planner.domain.changelog.ChangeLog`. Names are unique and not blank; operations that
break that raise :class:`OptionRefused` with a planner-readable message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.domain.centres import Centres
from planner.domain.changelog import ChangeLog
from planner.domain.constraints import Constraints
from planner.domain.plan import Plan

__all__ = ["Option", "PlanBook", "OptionRefused", "DEFAULT_NAME"]

DEFAULT_NAME = "Option A"


class OptionRefused(ValueError):
    """An option operation that cannot be done (duplicate or blank name, last option)."""


@dataclass
class Option:
    name: str
    plan: Plan
    constraints: Constraints | None = None
    log: ChangeLog = field(default_factory=ChangeLog)

    def copy(self, name: str) -> Option:
        """An independent copy (plan and log copied; constraints are immutable and shared)."""
        return Option(name, self.plan.copy(), self.constraints, self.log.copy())


class PlanBook:
    """The named options of one plan file; ``current`` is the index shown to the planner."""

    def __init__(self, options: list[Option], current: int = 0) -> None:
        if not options:
            raise OptionRefused("a plan file needs at least one option")
        first = options[0].plan.centres
        for opt in options[1:]:
            if opt.plan.centres is not first and opt.plan.centres.ids != first.ids:
                raise OptionRefused(f"option {opt.name!r} is over different centres")
        names = [o.name for o in options]
        for name in names:
            _check_name(name)
        if len(set(names)) != len(names):
            raise OptionRefused("option names must differ")
        if not 0 <= current < len(options):
            raise OptionRefused(f"current option {current} is not one of {len(options)}")
        self.options = list(options)
        self.current = current

    @classmethod
    def single(cls, plan: Plan, constraints: Constraints | None = None,
               name: str = DEFAULT_NAME) -> PlanBook:
        return cls([Option(name, plan, constraints)])

    # -- queries -----------------------------------------------------------------------------
    @property
    def centres(self) -> Centres:
        return self.options[0].plan.centres

    @property
    def current_option(self) -> Option:
        return self.options[self.current]

    def names(self) -> list[str]:
        return [o.name for o in self.options]

    def index_of(self, name: str) -> int:
        for i, opt in enumerate(self.options):
            if opt.name == name:
                return i
        raise KeyError(f"no option {name!r}; options are: {', '.join(self.names())}")

    def option(self, name: str | None = None) -> Option:
        """The option called ``name`` (None: the current one). KeyError names the options."""
        return self.current_option if name is None else self.options[self.index_of(name)]

    def __len__(self) -> int:
        return len(self.options)

    def unique_name(self, base: str) -> str:
        """``base``, or ``base (2)``, ``base (3)``... whichever is free."""
        taken = set(self.names())
        if base not in taken:
            return base
        n = 2
        while f"{base} ({n})" in taken:
            n += 1
        return f"{base} ({n})"

    def next_letter_name(self) -> str:
        """``Option B``, ``Option C``... the first such name not taken."""
        taken = set(self.names())
        for n in range(26 * 27):
            letters = chr(65 + n) if n < 26 else chr(64 + n // 26) + chr(65 + n % 26)
            if f"Option {letters}" not in taken:
                return f"Option {letters}"
        return self.unique_name("Option")

    # -- operations (the UI wraps each in an undo command) -----------------------------------
    def insert(self, index: int, option: Option) -> None:
        _check_name(option.name)
        if option.name in self.names():
            raise OptionRefused(f"there is already an option called {option.name!r}")
        self.options.insert(index, option)
        if index <= self.current:
            self.current += 1

    def duplicate(self, index: int, name: str | None = None) -> int:
        """Copy option ``index`` after it (as ``name`` or the next free letter); its index."""
        copy = self.options[index].copy(name or self.next_letter_name())
        self.insert(index + 1, copy)
        return index + 1

    def remove(self, index: int) -> Option:
        if len(self.options) == 1:
            raise OptionRefused("the last option cannot be deleted")
        option = self.options.pop(index)
        if self.current > index or self.current == len(self.options):
            self.current -= 1
        return option

    def rename(self, index: int, name: str) -> None:
        name = name.strip()
        _check_name(name)
        if name in self.names() and self.options[index].name != name:
            raise OptionRefused(f"there is already an option called {name!r}")
        self.options[index].name = name


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not name.strip():
        raise OptionRefused("an option needs a name")
