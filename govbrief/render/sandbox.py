"""A Jinja2 environment hardened for templates that analysts edit.

The stock SandboxedEnvironment stops `__class__.__mro__`-style escapes but not
`|safe`, `{% autoescape false %}`, huge string repetition or calls to methods of
whatever objects reach the context. Templates here receive plain data only, so
everything else is refused, and refused early: at load time where possible.
"""

from __future__ import annotations

import operator
from types import ModuleType
from typing import Any

from jinja2 import Environment, FileSystemLoader, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context, LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace

# Whose bound methods a template may call: plain data and Jinja's own helpers.
CALLABLE_OWNERS = (str, int, float, list, dict, tuple, LoopContext, Cycler, Joiner, Namespace)
MAX_REPEAT_LENGTH = 100_000  # longest str/list a template may build with `*`
MAX_EXPONENT = 100


class UnsafeTemplateError(TemplateSyntaxError):
    """A template tries to switch escaping off (`|safe`, `{% autoescape %}`)."""


class HardenedEnvironment(ImmutableSandboxedEnvironment):
    """Immutable sandbox that also bounds `*`/`**` and only calls methods of plain data."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Context, operator_name: str, left: Any, right: Any) -> Any:
        """Refuse repetition or powers large enough to exhaust memory or time."""
        if operator_name == "**":
            _check_exponent(right)
            return operator.pow(left, right)
        _check_repetition(left, right)
        return operator.mul(left, right)

    def is_safe_callable(self, obj: Any) -> bool:
        """Only functions, macros and methods of plain types or Jinja helpers."""
        if not super().is_safe_callable(obj):
            return False
        owner = getattr(obj, "__self__", None)
        if owner is None or isinstance(owner, ModuleType | type):
            return True
        return isinstance(owner, CALLABLE_OWNERS)


class GuardedLoader(FileSystemLoader):
    """A FileSystemLoader that refuses templates which switch escaping off."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Any]:
        """The template's source, after checking it."""
        source, filename, uptodate = super().get_source(environment, template)
        refuse_unescaping(environment, source, template, filename)
        return source, filename, uptodate


def refuse_unescaping(environment: Environment, source: str, name: str, filename: str | None) -> None:
    """Raise UnsafeTemplateError if the template uses `|safe` or an `{% autoescape %}` block."""
    tree = environment.parse(source, name, filename)
    for node in tree.find_all((nodes.Filter, nodes.EvalContextModifier)):
        if isinstance(node, nodes.Filter):
            if node.name != "safe":
                continue
            what = "|safe"
        else:
            what = "{% autoescape %}"
        raise UnsafeTemplateError(
            f"{what} is not allowed in report templates: values are always escaped / "
            f"报告模板不允许使用 {what}：数据一律转义后输出",
            node.lineno,
            name,
            filename,
        )


def _check_exponent(exponent: Any) -> None:
    if isinstance(exponent, int | float) and abs(exponent) > MAX_EXPONENT:
        raise SecurityError(f"exponent {exponent} too large in a template / 模板中的幂次过大")


def _check_repetition(left: Any, right: Any) -> None:
    for sequence, times in ((left, right), (right, left)):
        repeatable = isinstance(sequence, str | list | tuple) and isinstance(times, int)
        if repeatable and len(sequence) * times > MAX_REPEAT_LENGTH:
            raise SecurityError("repetition too long in a template / 模板中的重复内容过长")
