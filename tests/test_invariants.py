"""Two invariants that matter most, checked on the source itself (no database, < 1 s).

(a) A requester's contact (``RequestContact``, ``help_request.contact``, a ``contact__``
    lookup) is read only through ``matching.services.access_help_request_contact`` and the
    few places listed in ``CONTACT_READERS``, each with the reason it may.
(b) A status moves only in a services module: no ``x.status = ...`` and no
    ``.update(status=...)`` outside ``services.py``, ``handlers.py``, ``transitions.py``,
    migrations and the modules listed in ``STATUS_WRITERS``.

Both rules are syntactic, so they err on the side of flagging: a flagged line that is
fine gets an entry in the allowance list with its reason, a reviewed decision. An entry
that no longer allows anything fails too, so the lists stay true. Each failure prints
``path:line`` and the offending source.
"""

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "entraide"

# Where a requester's contact may be read, besides the one audited path. A key is a module,
# or "module::function" for one function of it (nested functions count as their outer one).
CONTACT_READERS: dict[str, str] = {
    "entraide/matching/services.py": (
        "home of access_help_request_contact (checks the reader's right, one audit row per "
        "read); also sends the requester their own messages and loads the exact point the "
        "engine measures distances from"
    ),
    "entraide/matching/adapter.py::engine_request": (
        "uses only the exact point to compute distances; it never leaves the engine"
    ),
    "entraide/needs/services.py": "the owner of RequestContact: creates and replaces it",
    "entraide/needs/views.py": "the requester's own private-link pages (token-checked)",
    "entraide/needs/admin.py": (
        "back-office change page: zone-scoped, one audit row per view (platform.admin_audit)"
    ),
    "entraide/needs/personal_data.py": "data-rights source: the person's own export and erasure",
    "entraide/care/personal_data.py": "data-rights source: the person's own export and erasure",
    "entraide/needs/demo.py::demo_exists": (
        "tells demo data apart by its fictional @example.org e-mails; returns no contact"
    ),
    "entraide/channels/selectors.py": (
        "the caller's own requests, found by the number they call from (phone menu, console)"
    ),
    "entraide/channels/services.py::operator_request_create": (
        "sends the requester their own confirmation SMS"
    ),
    "entraide/care/detection.py::request_screen": (
        "copies the phone onto a distress escalation, read later only through care.access"
    ),
    "entraide/care/access.py::access_escalation": (
        "care's audited path for partners on a distress escalation (permission-checked)"
    ),
    "entraide/insight/exports.py": (
        "coordinators' export with contacts: permission-checked (insight.access), audited"
    ),
    "entraide/coordination/views.py::_reveal": (
        "shows the contact that the audited case_reveal_contact returned, with its purpose"
    ),
    "entraide/needs/locating.py": (
        "needs' own geocoding services: read the private address to place it, write back "
        "only the private point, the grid point and the precision; nothing leaves the app"
    ),
    "entraide/coordination/services.py::case_send_message": (
        "sends the requester a coordinator's message through the outbox; the address never "
        "reaches the page"
    ),
}

# Violations found when the rule was written, left to the owner of a file being reworked.
# Listed so the suite stays green meanwhile; an entry fails once its violation is gone.
KNOWN_CONTACT_VIOLATIONS: dict[str, str] = {
    "entraide/channels/views.py::request_cancel": (
        "finds the request by contact__phone itself; should call "
        "channels.selectors.caller_request (issue 13, left to the channels owner)"
    ),
}

# Receivers whose ``.contact`` is not a requester's: ``platform.identity``'s proven phone
# number or e-mail (ContactProof / ProvenContact), which is what the person typed in.
NOT_A_REQUESTER = {"proof", "proven"}

# Modules that own a life cycle but are not called services.py.
STATUS_WRITERS: dict[str, str] = {
    "entraide/platform/outbox.py": "the outbox's services: deliver, retry, fail, erase",
    "entraide/directory/bulletins.py": "directory's bulletin services: publish and send",
    "entraide/directory/hsds/importer.py::proposal_decide": (
        "a coordinator applies or dismisses an imported change (pending only, row locked, "
        "the measure itself changes through directory.services.measure_update)"
    ),
}
STATUS_MODULE_NAMES = {"services.py", "handlers.py", "transitions.py"}

QUERY_METHODS = {
    "select_related",
    "prefetch_related",
    "only",
    "defer",
    "values",
    "values_list",
    "order_by",
}
# A lookup through the contact relation: "contact__phone", "help_request__contact__email"
# ("{}" is a formatted value: f"contact__{name}"). A field that is itself called
# "contact" ("contact__in" on platform's ContactProof) is not the relation.
CONTACT_LOOKUP = re.compile(
    r"(^|__)contact__(first_name|phone|email|address|lat|lon|\{\})|__contact$"
)
TEMPLATE_CONTACT = re.compile(r"\b(\w+)\.contact\b")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    function: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def _sources() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        relative = path.relative_to(ROOT).as_posix()
        yield relative, ast.parse(path.read_text(encoding="utf-8"), filename=relative)


def _with_functions(tree: ast.AST) -> Iterator[tuple[ast.AST, str]]:
    """Every node with the name of its outermost enclosing function ("" at module level)."""

    def walk(node: ast.AST, function: str) -> Iterator[tuple[ast.AST, str]]:
        for child in ast.iter_child_nodes(node):
            inner = function
            if not function and isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                inner = child.name
            yield child, inner
            yield from walk(child, inner)

    yield from walk(tree, "")


def _receiver(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _strings(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        yield "".join(
            part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
        )


def contact_reads(path: str, tree: ast.AST) -> Iterator[Finding]:
    """Every place that may read a requester's contact, allowed or not."""
    for node, function in _with_functions(tree):
        what = ""
        if isinstance(node, ast.Name) and node.id == "RequestContact":
            what = "RequestContact"
        elif isinstance(node, ast.alias) and node.name == "RequestContact":
            what = "import of RequestContact"
        elif isinstance(node, ast.Attribute) and node.attr == "RequestContact":
            what = "RequestContact"
        elif isinstance(node, ast.Attribute) and node.attr == "contact":
            if _receiver(node.value) not in NOT_A_REQUESTER:
                what = f"{ast.unparse(node)}"
        elif isinstance(node, ast.Call):
            what = _contact_in_call(node)
        elif isinstance(node, ast.Constant | ast.JoinedStr):
            what = next((f"lookup {s!r}" for s in _strings(node) if CONTACT_LOOKUP.search(s)), "")
        if what:
            yield Finding(path, getattr(node, "lineno", 0), function, what)


def _contact_in_call(call: ast.Call) -> str:
    name = _receiver(call.func)
    for keyword in call.keywords:
        if keyword.arg and CONTACT_LOOKUP.search(keyword.arg):
            return f"lookup {keyword.arg}="
    if name == "getattr" and any(s == "contact" for s in _strings(_arg(call, 1))):
        return ast.unparse(call)
    if name in QUERY_METHODS:
        for arg in call.args:
            if any(s == "contact" or s.endswith("__contact") for s in _strings(arg)):
                return f"{name}({ast.unparse(arg)})"
    return ""


def status_writes(path: str, tree: ast.AST) -> Iterator[Finding]:
    """Every assignment to a ``status`` attribute and every ``.update(status=...)``.

    ``self.status = ...`` inside ``__init__`` is an object setting up its own attribute
    (an exception's HTTP status), not a state move."""
    for node, function in _with_functions(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for element in ast.walk(target):
                    if not (isinstance(element, ast.Attribute) and element.attr == "status"):
                        continue
                    if function == "__init__" and _receiver(element.value) == "self":
                        continue
                    yield Finding(path, node.lineno, function, f"{ast.unparse(element)} = ...")
        elif isinstance(node, ast.Call):
            name = _receiver(node.func)
            if name == "update" and any(kw.arg == "status" for kw in node.keywords):
                yield Finding(path, node.lineno, function, ast.unparse(node.func) + "(status=...)")
            elif name == "bulk_update" and "'status'" in ast.unparse(node):
                yield Finding(path, node.lineno, function, ast.unparse(node.func) + "([status])")
            elif name == "setattr" and "status" in _strings(_arg(node, 1)):
                yield Finding(path, node.lineno, function, ast.unparse(node))


def _arg(call: ast.Call, index: int) -> ast.AST:
    return call.args[index] if len(call.args) > index else ast.Constant(None)


def _allowance(finding: Finding, allowed: dict[str, str]) -> str | None:
    for key in (f"{finding.path}::{finding.function}", finding.path):
        if key in allowed:
            return key
    return None


def _report(title: str, findings: list[Finding], stale: set[str]) -> str:
    lines = [title, *(f"  {finding}" for finding in findings)]
    if stale:
        lines.append("Allowances that no longer allow anything (remove them):")
        lines += [f"  {key}" for key in sorted(stale)]
    return "\n".join(lines)


def test_a_requesters_contact_is_read_only_through_the_audited_path():
    violations, used = [], set()
    for path, tree in _sources():
        for finding in contact_reads(path, tree):
            key = _allowance(finding, CONTACT_READERS | KNOWN_CONTACT_VIOLATIONS)
            if key:
                used.add(key)
            else:
                violations.append(finding)
    stale = (set(CONTACT_READERS) | set(KNOWN_CONTACT_VIOLATIONS)) - used
    assert not violations and not stale, _report(
        "A requester's contact read outside matching.services.access_help_request_contact "
        "(route it through that service, or add a reviewed entry to CONTACT_READERS):",
        violations,
        stale,
    )


def test_templates_never_reach_a_requesters_contact_through_an_object():
    """A template gets the contact it may show from a view (``contact``), never by
    following ``help_request.contact`` itself."""
    violations = []
    for path in sorted(SOURCE.rglob("templates/**/*.html")):
        relative = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in TEMPLATE_CONTACT.finditer(line):
                if match.group(1) not in NOT_A_REQUESTER:
                    violations.append(f"  {relative}:{number}: {match.group(0)}")
    assert not violations, "\n".join(["A template follows .contact:", *violations])


def test_a_status_moves_only_in_a_services_module():
    violations, used = [], set()
    for path, tree in _sources():
        if Path(path).name in STATUS_MODULE_NAMES:
            continue
        for finding in status_writes(path, tree):
            key = _allowance(finding, STATUS_WRITERS)
            if key:
                used.add(key)
            else:
                violations.append(finding)
    stale = set(STATUS_WRITERS) - used
    assert not violations and not stale, _report(
        "A status written outside a services module (call the app's service, which checks "
        "the move and records it):",
        violations,
        stale,
    )


# The rules themselves, on small sources, so a change that blinds them is noticed.


def _found(rule, source: str) -> list[str]:
    return [finding.what for finding in rule("x.py", ast.parse(source))]


@pytest.mark.parametrize(
    "source",
    [
        "from entraide.needs.models import RequestContact",
        "phone = help_request.contact.phone",
        "email = assignment.help_request.contact.email",
        "HelpRequest.objects.filter(contact__phone=phone)",
        "get_object_or_404(HelpRequest, reference=reference, contact__phone=phone)",
        "Q(help_request__contact__email__in=emails)",
        "HelpRequest.objects.select_related('zone', 'contact')",
        "HelpRequest.objects.values_list('reference', 'contact__address')",
        "columns = [f'contact__{name}' for name in names]",
        "contact = getattr(help_request, 'contact', None)",
    ],
)
def test_the_contact_rule_sees(source):
    assert _found(contact_reads, source)


@pytest.mark.parametrize(
    "source",
    [
        "recipient = proof.contact",
        "key = resident_key(phone=proven.contact)",
        "errors = {'contact': message}",
        "ContactInput(**data['contact'])",
        "ProvenContact(kind=kind, contact=value)",
        "ContactProof.objects.filter(contact__in=contacts)",
    ],
)
def test_the_contact_rule_ignores(source):
    assert not _found(contact_reads, source)


@pytest.mark.parametrize(
    "source",
    [
        "help_request.status = 'done'",
        "a.status, a.closed_at = target, now",
        "Assignment.objects.filter(pk=pk).update(status='withdrawn')",
        "qs.update(\n    note='x',\n    status=Status.SENT,\n)",
        "setattr(call, 'status', 'missed')",
        "Call.objects.bulk_update(calls, ['status', 'volunteer'])",
        "class Call:\n    def close(self):\n        self.status = 'done'",
    ],
)
def test_the_status_rule_sees(source):
    assert _found(status_writes, source)


@pytest.mark.parametrize(
    "source",
    [
        "if help_request.status == 'open': pass",
        "data = {'status': entry.status}",
        "qs.filter(status='open').update(note='x')",
        "class Refused(Exception):\n    def __init__(self, status):\n        self.status = status",
    ],
)
def test_the_status_rule_ignores(source):
    assert not _found(status_writes, source)
