"""A Jinja2 environment hardened for templates that analysts edit.

The stock SandboxedEnvironment stops `__class__.__mro__`-style escapes but not
`|safe`, `{% autoescape false %}`, huge string repetition or calls to methods of
whatever objects reach the context. Templates here receive plain data only, so
everything else is refused, and refused early: at load time where possible.

Time and size are bounded without signals (rendering may run in a worker thread,
where `signal.alarm` cannot reach): the render is a generator checked between
output chunks, and the compiled code checks the deadline at every loop
iteration and every call (macros included, so runaway recursion is caught).
Limits of that approach: a single Python-level operation cannot be interrupted
(one huge `|sort` or `|join` runs to its end), so the sizes that feed such
operations are bounded instead (range, repetition, concatenation, widths); a
hard bound on CPU or memory needs a separate process with resource limits.
"""

from __future__ import annotations

import operator
import re
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from jinja2 import Environment, FileSystemLoader, Template, TemplateSyntaxError, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context, LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace

# Whose bound methods a template may call: plain data and Jinja's own helpers.
CALLABLE_OWNERS = (str, int, float, list, dict, tuple, LoopContext, Cycler, Joiner, Namespace)
PLAIN_SCALARS = (str, int, float, bool, type(None))
MAX_REPEAT_LENGTH = 100_000  # longest str/list a template may build with `*`
MAX_TEXT_LENGTH = 1_000_000  # longest str a template may build with `~`, `+` or store in a namespace
MAX_RANGE = 100_000
MAX_WIDTH = 1_000  # widest padding/indent/batch a template may ask for (center, ljust, format "%5000s"…)
MAX_EXPONENT = 100
MAX_INTEGER_BITS = 4_096
_WIDE_FORMAT = re.compile(r"\d{4,}")  # a width or precision of 1000 or more in a format string
SAFE_REFUSED = ("禁止使用 |safe 过滤器（模板不得关闭转义）", "the |safe filter is not allowed")
AUTOESCAPE_REFUSED = ("禁止使用 {% autoescape %}（模板不得关闭转义）", "{% autoescape %} is not allowed")
_FORMAT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d*)?|\{[^{}]*\}")  # %(name)-5.2 or {0:>5}


@dataclass(frozen=True)
class RenderLimits:
    """How long one render may take and how much it may write."""

    seconds: float = 5.0
    max_output_chars: int = 5_000_000


@dataclass(frozen=True)
class Refusal:
    """One reason a template is refused, at a line, in Chinese and English."""

    line: int
    message_zh: str
    message_en: str


class UnsafeTemplateError(TemplateSyntaxError):
    """A template tries to switch escaping off (`|safe`, `{% autoescape %}`) or to bypass it."""


class RenderLimitError(SecurityError):
    """A render went over its time or size limit, or recursed too deep."""


class UnsafeContextError(SecurityError):
    """Something other than plain data was passed to a template."""


@dataclass
class _Budget:
    deadline: float
    seconds: float


_BUDGET: ContextVar[_Budget | None] = ContextVar("govbrief_render_budget", default=None)


def check_deadline() -> None:
    """Raise RenderLimitError once the current render is past its deadline (no-op outside a render)."""
    budget = _BUDGET.get()
    if budget is not None and time.monotonic() > budget.deadline:
        raise RenderLimitError(
            f"模板渲染超过{budget.seconds:g}秒上限，已停止（可能有死循环或过深的递归） / "
            f"rendering stopped after the {budget.seconds:g} s limit (an endless loop or runaway recursion?)"
        )


class DeadlineCodeGenerator(CodeGenerator):
    """Compiles templates so loops check the deadline and `~` cannot build huge strings."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        for loop in node.find_all(nodes.For):
            loop.body = [_deadline_tick(loop.lineno), *loop.body]
        super().visit_Template(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_text(")
        super().visit_Concat(node, frame)
        self.write(")")


def _deadline_tick(lineno: int) -> nodes.ExprStmt:
    """`environment.check_deadline()` as a statement (Jinja allows no custom node types)."""
    check = nodes.Call(nodes.EnvironmentAttribute("check_deadline"), [], [], None, None, lineno=lineno)
    return nodes.ExprStmt(check, lineno=lineno)


class LimitedTemplate(Template):
    """A template whose render checks its context, its deadline and its output size."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Render plain data within the environment's RenderLimits."""
        context = dict(*args, **kwargs)
        require_plain_data(context)
        limits: RenderLimits = getattr(self.environment, "limits", RenderLimits())
        token = _BUDGET.set(_Budget(time.monotonic() + limits.seconds, limits.seconds))
        try:
            return "".join(_bounded_chunks(self.generate(context), limits.max_output_chars))
        except RecursionError:
            raise RenderLimitError("模板递归过深，已停止 / template recursion too deep") from None
        finally:
            _BUDGET.reset(token)


def _bounded_chunks(chunks: Iterator[str], max_chars: int) -> Iterator[str]:
    written = 0
    for chunk in chunks:
        written += len(chunk)
        if written > max_chars:
            raise RenderLimitError(
                f"模板输出超过{max_chars}个字符上限 / the output went over the {max_chars} characters limit"
            )
        check_deadline()
        yield chunk


class BoundedNamespace(Namespace):
    """`namespace()` whose attributes cannot grow without bound across loop iterations."""

    def __setitem__(self, name: str, value: Any) -> None:
        _check_length(value, MAX_TEXT_LENGTH)
        super().__setitem__(name, value)


class HardenedEnvironment(ImmutableSandboxedEnvironment):
    """Immutable sandbox that bounds time, sizes and `*`/`**`, and only calls methods of plain data."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = DeadlineCodeGenerator
    template_class = LimitedTemplate

    def __init__(self, *args: Any, limits: RenderLimits | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits or RenderLimits()
        self.globals.update(range=bounded_range, namespace=BoundedNamespace)
        self.globals.pop("lipsum", None)  # lipsum(n=10**9) would run unchecked; templates never need filler
        self.filters.pop("safe", None)
        for name in ("center", "indent", "batch", "slice"):
            self.filters[name] = _width_checked(self.filters[name])
        self.filters["format"] = _width_checked(self.filters["format"], format_string=True)

    check_deadline = staticmethod(check_deadline)

    @staticmethod
    def bounded_text(text: str) -> str:
        """The result of a `~` concatenation, refused when too long."""
        _check_length(text, MAX_TEXT_LENGTH)
        return text

    def call_binop(self, context: Context, operator_name: str, left: Any, right: Any) -> Any:
        """Refuse repetition, powers, sums and formats large enough to exhaust memory or time."""
        if operator_name == "**":
            _check_exponent(right)
            return _checked_number(operator.pow(left, right))
        if operator_name == "%":
            _check_format(left)
            return operator.mod(left, right)
        if operator_name == "+":
            return self.bounded_sum(left, right)
        _check_repetition(left, right)
        return _checked_number(operator.mul(left, right))

    @staticmethod
    def bounded_sum(left: Any, right: Any) -> Any:
        """`left + right`, refused when it builds a string or list longer than MAX_TEXT_LENGTH."""
        total = operator.add(left, right)
        _check_length(total, MAX_TEXT_LENGTH)
        return _checked_number(total)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Every call checks the deadline (so recursion is bounded) and the widths it asks for."""
        check_deadline()
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            _check_widths(*args, *kwargs.values())
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """`str.format`/`format_map`, sandboxed by Jinja, once the format string's widths are checked."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format(value.__self__)
        return wrapped

    def is_safe_callable(self, obj: Any) -> bool:
        """Only functions, macros and methods of plain types or Jinja helpers."""
        if not super().is_safe_callable(obj):
            return False
        owner = getattr(obj, "__self__", None)
        if owner is None or isinstance(owner, ModuleType | type):
            return True
        return isinstance(owner, CALLABLE_OWNERS)


def bounded_range(*args: int) -> range:
    """`range` for templates: at most MAX_RANGE items."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise SecurityError(
            f"range() 最多{MAX_RANGE}项，这里有{len(numbers)}项 / range() is limited to {MAX_RANGE} items, "
            f"this one has {len(numbers)}"
        )
    return numbers


def require_plain_data(value: Any, path: str = "context") -> None:
    """Raise UnsafeContextError unless `value` is dicts, lists, str, int, float, bool and None only."""
    if type(value) in PLAIN_SCALARS:
        return
    if type(value) in (list, tuple):
        for index, item in enumerate(value):
            require_plain_data(item, f"{path}[{index}]")
        return
    if type(value) is dict:
        for key, item in value.items():
            require_plain_data(key, f"{path} key")
            require_plain_data(item, f"{path}.{key}")
        return
    raise UnsafeContextError(
        f"模板只接收普通数据，{path} 是 {type(value).__name__} / templates receive plain data only: "
        f"{path} is a {type(value).__name__}"
    )


class GuardedLoader(FileSystemLoader):
    """A FileSystemLoader that refuses templates which switch escaping off or bypass it."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Any]:
        """The template's source, after checking it."""
        source, filename, uptodate = super().get_source(environment, template)
        refuse_unescaping(environment, source, template, filename)
        return source, filename, uptodate


def refuse_unescaping(environment: Environment, source: str, name: str, filename: str | None) -> None:
    """Raise UnsafeTemplateError at the first construct that would let a value out unescaped."""
    tree = environment.parse(source, name, filename)
    for refusal in escaping_refusals(tree, name):
        raise UnsafeTemplateError(f"{refusal.message_zh} / {refusal.message_en}", refusal.line, name, filename)


def escaping_refusals(tree: nodes.Template, name: str) -> Iterator[Refusal]:
    """`|safe`, `{% autoescape %}`, computed or cross-kind template references, code in static files."""
    if template_kind(name) == "static":
        yield from _static_refusals(tree, name)
        return
    for modifier in tree.find_all(nodes.EvalContextModifier):
        yield Refusal(modifier.lineno, *AUTOESCAPE_REFUSED)
    for applied in tree.find_all(nodes.Filter):
        if applied.name == "safe":
            yield Refusal(applied.lineno, *SAFE_REFUSED)
    for node, target in template_references(tree):
        yield from _reference_refusals(node, target, name)


def template_kind(name: str) -> str:
    """Kind of a template: "html" (escaped), "text", "other" (.j2, unescaped) or "static" (no template code)."""
    if name.endswith(".html.j2"):
        return "html"
    if name.endswith(".txt.j2"):
        return "text"
    return "other" if name.endswith(".j2") else "static"


def template_references(tree: nodes.Template) -> Iterator[tuple[nodes.Node, str | None]]:
    """Each include/import/extends and the name it refers to (None when computed at render time)."""
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        expression = node.template  # type: ignore[attr-defined]
        is_name = isinstance(expression, nodes.Const) and isinstance(expression.value, str)
        yield node, expression.value if is_name else None


def _reference_refusals(node: nodes.Node, target: str | None, name: str) -> Iterator[Refusal]:
    if target is None:
        yield Refusal(
            node.lineno,
            "引用的模板名必须直接写明，不能用变量或表达式",
            "include/import/extends must name the template literally, not compute it",
        )
    elif template_kind(target) not in ("static", template_kind(name)):
        yield Refusal(
            node.lineno,
            f"不得引用 {target}：它与本模板的转义方式不同（.html.j2 只能引用 .html.j2）",
            f"{target} is escaped differently from this template: "
            "an .html.j2 may only use .html.j2 templates (and a .txt.j2 only .txt.j2)",
        )


def _static_refusals(tree: nodes.Template, name: str) -> Iterator[Refusal]:
    for node in tree.body:
        if not (isinstance(node, nodes.Output) and all(isinstance(n, nodes.TemplateData) for n in node.nodes)):
            yield Refusal(
                node.lineno,
                f"静态文件 {name} 不得包含模板代码（它原样插入，不转义）",
                f"the static file {name} may not contain template code (it is inserted unescaped)",
            )
            return


def _width_checked(template_filter: Callable[..., Any], *, format_string: bool = False) -> Callable[..., Any]:
    """`template_filter` refusing sizes of MAX_WIDTH or more, and (for |format) wide format strings."""
    passes_context = hasattr(template_filter, "jinja_pass_arg")  # |slice receives the eval context first

    def checked(*args: Any, **kwargs: Any) -> Any:
        value, *options = args[1:] if passes_context else args
        _check_widths(*options, *kwargs.values())
        if format_string:
            _check_format(value)
        return template_filter(*args, **kwargs)

    if passes_context:
        checked.jinja_pass_arg = template_filter.jinja_pass_arg  # type: ignore[attr-defined]
    return checked


def _check_widths(*arguments: Any) -> None:
    """Refuse numbers of MAX_WIDTH or more passed where they could be widths."""
    if any(isinstance(a, int) and abs(a) >= MAX_WIDTH for a in arguments):
        _refuse_width()


def _check_format(text: Any) -> None:
    """Refuse a format string whose `%…` or `{…}` specifications ask for a width of MAX_WIDTH or more."""
    if isinstance(text, str) and any(_WIDE_FORMAT.search(spec) for spec in _FORMAT_SPEC.findall(text)):
        _refuse_width()


def _refuse_width() -> None:
    raise SecurityError(f"模板中的宽度过大（上限{MAX_WIDTH}） / width too large in a template (limit {MAX_WIDTH})")


def _check_exponent(exponent: Any) -> None:
    if isinstance(exponent, int | float) and abs(exponent) > MAX_EXPONENT:
        raise SecurityError(f"exponent {exponent} too large in a template / 模板中的幂次过大")


def _check_repetition(left: Any, right: Any) -> None:
    for sequence, times in ((left, right), (right, left)):
        repeatable = isinstance(sequence, str | list | tuple) and isinstance(times, int)
        if repeatable and len(sequence) * times > MAX_REPEAT_LENGTH:
            raise SecurityError("repetition too long in a template / 模板中的重复内容过长")


def _checked_number(value: Any) -> Any:
    """`value`, unless it is an integer too large to be a figure (squaring in a loop grows without bound)."""
    if isinstance(value, int) and value.bit_length() > MAX_INTEGER_BITS:
        raise SecurityError("模板中的数字过大 / a number in a template is too large")
    return value


def _check_length(value: Any, limit: int) -> None:
    if isinstance(value, str | list | tuple) and len(value) > limit:
        raise SecurityError(f"模板生成的内容过长（上限{limit}） / a template built a value over {limit} long")
