"""Budgets: stop a job (outcome failed, reason budget) before it overspends."""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas.errors import BudgetExceededError
from schemas.state import TokenUsage

__all__ = ["BatchBudget", "JobBudget"]


@dataclass
class BatchBudget:
    """Spend shared by every job of one batch."""

    limit_usd: float | None = None
    spent_usd: float = 0.0

    def exhausted(self) -> bool:
        """True once the batch has spent its limit."""
        return self.limit_usd is not None and self.spent_usd >= self.limit_usd


@dataclass
class JobBudget:
    """One job's spend; checked before every LLM call and charged after each answer."""

    limit_usd: float | None = None
    spent_usd: float = 0.0
    batch: BatchBudget | None = None
    usage: TokenUsage = field(default_factory=TokenUsage)

    def check(self) -> None:
        """Raise BudgetExceededError when the article's or the batch's budget is spent."""
        if self.limit_usd is not None and self.spent_usd >= self.limit_usd:
            raise BudgetExceededError(
                f"article budget of ${self.limit_usd:.4f} spent (${self.spent_usd:.4f})",
                scope="article",
            )
        if self.batch is not None and self.batch.exhausted():
            raise BudgetExceededError(
                f"batch budget of ${self.batch.limit_usd:.4f} spent", scope="batch"
            )

    def charge(self, usage: TokenUsage) -> None:
        """Add one call's usage to the job and its batch."""
        self.usage = self.usage + usage
        self.spent_usd += usage.cost_usd
        if self.batch is not None:
            self.batch.spent_usd += usage.cost_usd
