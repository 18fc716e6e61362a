#!/usr/bin/env python3
"""Translates imgvisa rule files (rules/*.json) into peers' rule languages for bench/run.

  bench/translate.py --rules rules --as-of 2026-01-15 --target jsonlogic PATHWAY... > rules.json
  bench/translate.py --rules rules --as-of 2026-01-15 --target jq PATHWAY... > rules.jq
  bench/translate.py --rules rules --as-of 2026-01-15 --target json-rules-engine PATHWAY... > r.json

Three-valued logic is kept in the jsonlogic and jq targets by encoding a condition's outcome
as a number: 1 met, 0 unmet, 0.5 unknown. Kleene AND is then min, OR is max, NOT is 1 - x, and
an operand that is unknown is null. The evaluation date is fixed at translation time, so
`effective` ranges are resolved here and `{"as_of": true}` becomes a date literal.

json-logic has no date arithmetic, no way to reach outer data from inside `reduce` or `map`,
and no way to compare each record of a list with every other; the harness
(bench/peers/jsonlogic.js) adds five operations (months_between, days_between, add_months,
add_days, and disjoint over a list of per-record [where, from, to]) with add_operation, links
every list record to its profile (`_root`), and the item statuses and verdicts of referenced
pathways are handed in as data (`_item`, `_verdict`), computed in dependency order, one
jsonLogic.apply per item. jq expresses everything natively (dates by civil-day arithmetic).

json-rules-engine is two-valued, so there each condition becomes two, "definitely met" and
"definitely unmet", and each item two rules (see RulesEngine); what the engine lacks (date
arithmetic, arithmetic, quantifiers over lists of records, reading another pathway's verdict) is
a computed fact of the harness, bench/peers/rules_engine.js, parametrised by the translation.
The pathways' dependencies (other pathways, executive-action items) are translated too.
"""

import argparse
import glob
import json
import os
import sys

VERDICTS = ["eligible", "conditional", "blocked", "ineligible", "undetermined", "not-applicable"]


class RuleSet:
    def __init__(self, root):
        self.facts, self.definitions, self.pathways = {}, {}, {}
        for path in sorted(glob.glob(os.path.join(root, "**", "*.json"), recursive=True)):
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
            self.facts.update(doc.get("facts", {}))
            self.definitions.update(doc.get("definitions", {}))
            if "pathway" in doc:
                self.pathways[doc["pathway"]["id"]] = doc["pathway"]

    def fact_type(self, path):
        return self.facts.get(path, {}).get("type")


def in_force(effective, as_of):
    if not effective:
        return True
    return effective.get("from", "0000-00-00") <= as_of < effective.get("until", "9999-99-99")


def dependencies(rules, condition, found):
    """Pathway ids that `condition` reads the verdict or items of."""
    if isinstance(condition, dict):
        for key, value in condition.items():
            if key == "pathway" and isinstance(value, str):
                found.add(value)
            elif key == "item" and isinstance(value, str):
                found.add(value.split("/")[0])
            elif key == "ref" and isinstance(value, str):
                dependencies(rules, rules.definitions[value], found)
            else:
                dependencies(rules, value, found)
    elif isinstance(condition, list):
        for value in condition:
            dependencies(rules, value, found)
    return found


def evaluation_order(rules, wanted):
    order, seen = [], set()

    def visit(pid):
        if pid in seen:
            return
        seen.add(pid)
        deps = set()
        for item in rules.pathways[pid]["items"]:
            dependencies(rules, item.get("condition"), deps)
        for d in sorted(deps):
            visit(d)
        order.append(pid)

    for pid in wanted:
        visit(pid)
    return order


class JsonLogic:
    """Conditions → json-logic returning 1 / 0.5 / 0; expressions → value or null."""

    def __init__(self, rules, as_of):
        self.rules, self.as_of = rules, as_of

    def is_null(self, e):
        return {"==": [e, None]}

    def field(self, name, scope):
        if scope is None:
            raise ValueError("field outside a list")
        return {"var": f"{scope}.{name}" if scope else name}

    def expr(self, e, scope):
        if not isinstance(e, dict):
            return e
        (op, arg), = e.items()
        if op == "fact":
            # Inside reduce json-logic sees only {current, accumulator}, inside map only the
            # record (scope ""): the harness links each record to its profile as `_root`.
            if scope is None:
                return {"var": arg}
            return {"var": f"{scope}._root.{arg}" if scope else f"_root.{arg}"}
        if op == "field":
            return self.field(arg, scope)
        if op == "as_of":
            return self.as_of
        if op == "date":
            return arg
        if op in ("months_between", "days_between", "add_months", "add_days"):
            return {op: [self.expr(a, scope) for a in arg]}
        if op in ("add", "sub"):
            a, b = (self.expr(x, scope) for x in arg)
            return {"if": [{"or": [self.is_null(a), self.is_null(b)]}, None,
                           {"+" if op == "add" else "-": [a, b]}]}
        if op == "coalesce":
            parts = [self.expr(a, scope) for a in arg]
            out = parts[-1]
            for p in reversed(parts[:-1]):
                out = {"if": [self.is_null(p), out, p]}
            return out
        if op in ("count", "sum"):
            if scope is not None:
                raise ValueError("nested aggregate")
            where = self.cond(arg["where"], "current") if "where" in arg else 1
            value = 1 if op == "count" else self.expr(arg["of"], "current")
            acc = {"var": "accumulator"}
            step = {"if": [self.is_null(acc), None,
                           {"==": [where, 0]}, acc,
                           {"==": [where, 0.5]}, None,
                           self.is_null(value), None,
                           {"+": [acc, value]}]}
            lst = {"var": arg["list"]}
            return {"if": [self.is_null(lst), None, {"reduce": [lst, step, 0]}]}
        raise ValueError(f"expression {op}")

    def three(self, known_test, holds):
        return {"if": [known_test, 0.5, holds, 1, 0]}

    def cond(self, c, scope=None):
        op = first_key(c)
        arg = c[op]
        if op == "all":
            return {"min": [self.cond(x, scope) for x in arg]} if arg else 1
        if op == "any":
            return {"max": [self.cond(x, scope) for x in arg]} if arg else 0
        if op == "not":
            return {"-": [1, self.cond(arg, scope)]}
        if op == "ref":
            return self.cond(self.rules.definitions[arg], scope)
        if op in ("eq", "ne", "lt", "le", "gt", "ge"):
            a, b = (self.expr(x, scope) for x in arg)
            js = {"eq": "===", "ne": "!==", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}[op]
            return self.three({"or": [self.is_null(a), self.is_null(b)]}, {js: [a, b]})
        if op == "in" and isinstance(arg[1], dict):  # one of a list fact's elements
            a, lst = self.expr(arg[0], scope), self.expr(arg[1], scope)
            return self.three({"or": [self.is_null(a), self.is_null(lst)]}, {"in": [a, lst]})
        if op == "in":
            a = self.expr(arg[0], scope)
            return self.three(self.is_null(a), {"in": [a, arg[1]]})
        if op == "overlaps":
            a = self.expr(arg[0], scope)
            return self.three(self.is_null(a), {"some": [a, {"in": [{"var": ""}, arg[1]]}]})
        if op == "within":
            a = self.expr(arg[0], scope)
            return self.three(self.is_null(a), {"all": [a, {"in": [{"var": ""}, arg[1]]}]})
        if op == "exists":
            a = self.expr({"fact": arg} if isinstance(arg, str) else arg, scope)
            return {"if": [self.is_null(a), 0, 1]}
        if op in ("some", "every"):
            if scope is not None:
                raise ValueError("nested some/every")
            lst = {"var": arg["list"]}
            where = self.cond(arg["where"], "current")
            acc = {"var": "accumulator"}
            fold = {"reduce": [lst, {("max" if op == "some" else "min"): [acc, where]},
                               0 if op == "some" else 1]}
            return {"if": [self.is_null(lst), 0.5, fold]}
        if op == "disjoint":
            if scope is not None:
                raise ValueError("nested disjoint")
            # The pairwise test needs every record at once, which reduce's one accumulator cannot
            # carry: map makes a [where, from, to] per record (evaluated on the record itself,
            # scope "") and the harness's `disjoint` operation compares them.
            lst = {"var": arg["list"]}
            where = self.cond(arg["where"], "") if "where" in arg else 1
            period = [where, self.expr(arg["from"], ""), self.expr(arg["to"], "")]
            # map reads an absent list as empty, which would be met.
            return {"if": [self.is_null(lst), 0.5, {"disjoint": [{"map": [lst, period]}]}]}
        if op == "pathway":
            v = {"var": f"_verdict.{arg}"}
            return {"if": [{"in": [v, c["is"]]}, 1, {"===": [v, "undetermined"]}, 0.5, 0]}
        if op == "item":
            pid, iid = arg.split("/")
            v = {"var": [f"_item.{pid}.{iid}", "inactive"]}
            return {"if": [{"in": [v, c["is"]]}, 1, {"===": [v, "unknown"]}, 0.5, 0]}
        if op == "unsettled":
            return 0.5
        raise ValueError(f"condition {op}")


class Jq:
    """Conditions → jq filters over the profile producing 1 / 0.5 / 0 ($r is the record)."""

    def __init__(self, rules, as_of):
        self.rules, self.as_of = rules, as_of

    def lit(self, v):
        return f"({json.dumps(v)})"  # `-12 as $b` would parse as -(12 as $b | ...)

    def path(self, p):
        return "." + ".".join(json.dumps(k) if "-" in k else k for k in p.split("."))

    def expr(self, e, scope):
        if not isinstance(e, dict):
            return self.lit(e)
        (op, arg), = e.items()
        if op == "fact":
            return f"($p | {self.path(arg)})"
        if op == "field":
            return f"($r | .{arg})"
        if op == "as_of":
            return self.lit(self.as_of)
        if op == "date":
            return self.lit(arg)
        if op in ("months_between", "days_between", "add_months", "add_days"):
            a, b = (self.expr(x, scope) for x in arg)
            return f"({a} as $a | {b} as $b | if $a == null or $b == null then null else {op}($a; $b) end)"
        if op in ("add", "sub"):
            a, b = (self.expr(x, scope) for x in arg)
            sign = "+" if op == "add" else "-"
            return f"({a} as $a | {b} as $b | if $a == null or $b == null then null else $a {sign} $b end)"
        if op == "coalesce":
            parts = [self.expr(a, scope) for a in arg]
            out = parts[-1]
            for p in reversed(parts[:-1]):
                out = f"({p} as $c | if $c == null then {out} else $c end)"
            return out
        if op in ("count", "sum"):
            where = self.cond(arg["where"], "r") if "where" in arg else "1"
            value = "1" if op == "count" else self.expr(arg["of"], "r")
            lst = f"($p | {self.path(arg['list'])})"
            return (f"({lst} as $l | if $l == null then null else reduce $l[] as $r (0; "
                    f". as $acc | if $acc == null then null else ({where}) as $w | "
                    f"if $w == 0 then $acc elif $w == 0.5 then null else ({value}) as $v | "
                    f"if $v == null then null else $acc + $v end end end) end)")
        raise ValueError(f"expression {op}")

    def three(self, operands, holds):
        binds = " | ".join(f"{o} as $o{i}" for i, o in enumerate(operands))
        nulls = " or ".join(f"$o{i} == null" for i in range(len(operands)))
        return f"({binds} | if {nulls} then 0.5 elif {holds} then 1 else 0 end)"

    def cond(self, c, scope=None):
        op = first_key(c)
        arg = c[op]
        if op == "all":
            return "([" + ", ".join(self.cond(x, scope) for x in arg) + "] | min)" if arg else "1"
        if op == "any":
            return "([" + ", ".join(self.cond(x, scope) for x in arg) + "] | max)" if arg else "0"
        if op == "not":
            return f"(1 - {self.cond(arg, scope)})"
        if op == "ref":
            return f"{arg.replace('-', '_')}($p; $v; $i)"  # a jq def, see emit_jq
        if op in ("eq", "ne", "lt", "le", "gt", "ge"):
            a, b = (self.expr(x, scope) for x in arg)
            js = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}[op]
            return self.three([a, b], f"$o0 {js} $o1")
        if op == "in" and isinstance(arg[1], dict):  # one of a list fact's elements
            a, lst = self.expr(arg[0], scope), self.expr(arg[1], scope)
            return self.three([a, lst], "($o1 | index([$o0]) != null)")
        if op == "in":
            a = self.expr(arg[0], scope)
            return self.three([a], f"({self.lit(arg[1])} | index([$o0]) != null)")
        if op == "overlaps":
            a = self.expr(arg[0], scope)
            return self.three([a], f"any($o0[]; . as $x | {self.lit(arg[1])} | index([$x]) != null)")
        if op == "within":
            a = self.expr(arg[0], scope)
            return self.three([a], f"(($o0 | length) > 0 and all($o0[]; . as $x | "
                                   f"{self.lit(arg[1])} | index([$x]) != null))")
        if op == "exists":
            a = self.expr({"fact": arg} if isinstance(arg, str) else arg, scope)
            return f"(if {a} == null then 0 else 1 end)"
        if op in ("some", "every"):
            lst = f"($p | {self.path(arg['list'])})"
            where = self.cond(arg["where"], "r")
            agg = "max" if op == "some" else "min"
            empty = "0" if op == "some" else "1"
            return (f"({lst} as $l | if $l == null then 0.5 else "
                    f"([$l[] as $r | {where}] | if length == 0 then {empty} else {agg} end) end)")
        if op == "disjoint":
            lst = f"($p | {self.path(arg['list'])})"
            where = self.cond(arg["where"], "r") if "where" in arg else "1"
            start, end = self.expr(arg["from"], "r"), self.expr(arg["to"], "r")
            return (f"({lst} as $l | if $l == null then 0.5 else "
                    f"([$l[] as $r | [{where}, {start}, {end}]] | disjoint) end)")
        if op == "pathway":
            return (f"($v[{self.lit(arg)}] as $x | if ({self.lit(c['is'])} | index([$x]) != null) "
                    f"then 1 elif $x == \"undetermined\" then 0.5 else 0 end)")
        if op == "item":
            pid, iid = arg.split("/")
            return (f"(($i[{self.lit(pid)}][{self.lit(iid)}] // \"inactive\") as $x | if ({self.lit(c['is'])} | "
                    f"index([$x]) != null) then 1 elif $x == \"unknown\" then 0.5 else 0 end)")
        if op == "unsettled":
            return "0.5"
        raise ValueError(f"condition {op}")


class RulesEngine:
    """Conditions → a pair of json-rules-engine conditions (T, F): T holds when the condition is
    met, F when it is unmet, neither when it is unknown (json-rules-engine is two-valued).

    T(all) = all T, F(all) = any F; T(any) = any T, F(any) = all F; T(not c) = F(c),
    F(not c) = T(c); a comparison is T when its operands are known and it holds, F when they are
    known and it fails; `unsettled` is neither.
    Expressions become operands json-rules-engine can compare: a literal, or a fact reference
    {fact, path, params}. A profile fact `a.b.c` is the run-time fact `a` with path `$.b.c`; a
    record's field is the fact `@record`. What json-rules-engine cannot express natively is a
    computed fact of the harness (bench/peers/rules_engine.js), named `fn:...`, whose params are
    again operands (resolved with almanac.getValue):
      fn:months_between, fn:days_between, fn:add_months, fn:add_days, fn:add, fn:sub, fn:coalesce
                      date arithmetic and null-propagating arithmetic (no arithmetic in the engine);
      fn:any_record, fn:all_records
                      whether a named condition holds for some / every record of a list, each
                      record evaluated in its own almanac (conditions cannot iterate over a list);
      fn:count, fn:sum
                      counts and sums over the records for which the named T condition holds,
                      null when for some record neither the T nor the F condition holds;
      fn:disjoint     the status ("met", "unmet", "unknown") of `disjoint`: the records' periods
                      (from, to) compared pairwise, a record counting where the named T
                      condition holds and possible where neither T nor F does;
      fn:verdict, fn:item_status
                      another pathway's verdict or item status, from the events of the rules that
                      already ran (pathways run in dependency order, as rule priorities).
    and one custom operator, `known` (value not null/undefined): the engine has no presence test.
    Definitions and the `where` of quantifiers become named conditions (engine.setCondition).
    """

    TRUE = {"all": []}
    FALSE = {"not": {"all": []}}  # an empty `any` is true in json-rules-engine, not false
    OPS = {"eq": "equal", "ne": "notEqual", "lt": "lessThan", "le": "lessThanInclusive",
           "gt": "greaterThan", "ge": "greaterThanInclusive"}
    NEGATED = {"eq": "ne", "ne": "eq", "lt": "ge", "ge": "lt", "le": "gt", "gt": "le"}
    MIRRORED = {"eq": "eq", "ne": "ne", "lt": "gt", "gt": "lt", "le": "ge", "ge": "le"}

    def __init__(self, rules, as_of):
        self.rules, self.as_of = rules, as_of
        self.named = {}  # condition name → json-rules-engine condition
        self.wheres = {}  # json of a translated `where` → its name
        self.definitions = {}  # definition name → its (T, F)

    @staticmethod
    def is_ref(v):
        return isinstance(v, dict)

    def fact(self, path):
        head, _, rest = path.partition(".")
        return {"fact": head, "path": "$." + rest} if rest else {"fact": head}

    def value(self, e, scope):
        if not isinstance(e, dict):
            return e
        (op, arg), = e.items()
        if op == "fact":
            return self.fact(arg)
        if op == "field":
            if scope != "record":
                raise ValueError("field outside a list")
            return {"fact": "@record", "path": "$." + arg}
        if op == "as_of":
            return self.as_of
        if op == "date":
            return arg
        if op in ("months_between", "days_between", "add_months", "add_days", "add", "sub",
                  "coalesce"):
            return {"fact": "fn:" + op, "params": {"args": [self.value(a, scope) for a in arg]}}
        if op in ("count", "sum"):
            if scope is not None:
                raise ValueError("nested aggregate")
            params = {"list": self.fact(arg["list"])}
            if "where" in arg:
                params["where"] = self.where(arg["where"])
            if op == "sum":
                params["of"] = self.value(arg["of"], "record")
            return {"fact": "fn:" + op, "params": params}
        raise ValueError(f"expression {op}")

    def where(self, c):
        """Names the T and F conditions of a quantifier's `where` (shared when identical)."""
        t, f = self.cond(c, "record")
        key = json.dumps([t, f], sort_keys=True)
        if key not in self.wheres:
            name = f"where{len(self.wheres)}"
            self.wheres[key] = name
            self.named[name + ":T"], self.named[name + ":F"] = self.root(t), self.root(f)
        name = self.wheres[key]
        return {"T": name + ":T", "F": name + ":F"}

    @staticmethod
    def root(c):
        """A named condition or a rule's conditions must be all / any / not / condition."""
        return c if any(k in c for k in ("all", "any", "not", "condition")) else {"all": [c]}

    def leaf(self, ref, operator, value):
        return dict(ref, operator=operator, value=value)

    def known(self, v):
        return [self.leaf(v, "known", True)] if self.is_ref(v) else []

    def seq(self, op, parts):
        """`all` / `any` of parts, constants folded (e.g. an `unsettled` operand). The parts get
        decreasing condition priorities: the engine then evaluates them in order and stops at the
        first that decides (with equal priorities it evaluates them all, concurrently)."""
        unit, zero = (self.TRUE, self.FALSE) if op == "all" else (self.FALSE, self.TRUE)
        flat = []
        for p in parts:
            if p == zero:
                return zero
            if p != unit:
                flat.extend(p[op] if set(p) == {op} else [p])
        if len(flat) == 1:
            return flat[0]
        return {op: [dict(p, priority=len(flat) - i) for i, p in enumerate(flat)]} if flat else unit

    def compare(self, op, a, b):
        if not self.is_ref(a) and not self.is_ref(b):
            holds = {"eq": a == b, "ne": a != b, "lt": a < b, "le": a <= b, "gt": a > b,
                     "ge": a >= b}[op]
            return (self.TRUE, self.FALSE) if holds else (self.FALSE, self.TRUE)
        if not self.is_ref(a):
            a, b, op = b, a, self.MIRRORED[op]
        # `known` only where the operator does not already fail on an unknown operand: lessThan
        # and the like reject a left operand parseFloat cannot read (undefined, null; a
        # YYYY-MM-DD date reads as its year and then compares as a string), `equal` with a known
        # right operand fails on an unknown left one. A right operand that is a fact is always
        # tested (in JavaScript null >= 0 holds and undefined === undefined).
        order = op in ("lt", "le", "gt", "ge")
        t = ([] if order or op == "eq" else self.known(a)) + self.known(b)
        f = ([] if order or op == "ne" else self.known(a)) + self.known(b)
        return (self.seq("all", t + [self.leaf(a, self.OPS[op], b)]),
                self.seq("all", f + [self.leaf(a, self.OPS[self.NEGATED[op]], b)]))

    def cond(self, c, scope=None):
        op = first_key(c)
        arg = c[op]
        if op == "all":
            parts = [self.cond(x, scope) for x in arg]
            return self.seq("all", [t for t, _ in parts]), self.seq("any", [f for _, f in parts])
        if op == "any":
            parts = [self.cond(x, scope) for x in arg]
            return self.seq("any", [t for t, _ in parts]), self.seq("all", [f for _, f in parts])
        if op == "not":
            t, f = self.cond(arg, scope)
            return f, t
        if op == "ref":
            if arg not in self.definitions:
                self.definitions[arg] = self.cond(self.rules.definitions[arg])
                for tf, c in zip("TF", self.definitions[arg]):
                    if c not in (self.TRUE, self.FALSE):
                        self.named[f"{arg}:{tf}"] = self.root(c)
            return tuple(c if c in (self.TRUE, self.FALSE) else {"condition": f"{arg}:{tf}"}
                         for tf, c in zip("TF", self.definitions[arg]))
        if op in ("eq", "ne", "lt", "le", "gt", "ge"):
            a, b = (self.value(x, scope) for x in arg)
            return self.compare(op, a, b)
        if op == "in" and isinstance(arg[1], dict):  # one of a list fact's elements
            a, lst = self.value(arg[0], scope), self.value(arg[1], scope)
            if not self.is_ref(a):
                raise ValueError("in over a list with a literal operand")
            # The list is tested known first: `in` and `notIn` read it as an array.
            return (self.seq("all", self.known(lst) + [self.leaf(a, "in", lst)]),
                    self.seq("all", self.known(lst) + self.known(a) + [self.leaf(a, "notIn", lst)]))
        if op in ("in", "overlaps", "within"):
            a = self.value(arg[0], scope)
            if not self.is_ref(a):
                holds = {"in": lambda: a in arg[1], "overlaps": lambda: any(x in arg[1] for x in a),
                         "within": lambda: bool(a) and all(x in arg[1] for x in a)}[op]()
                return (self.TRUE, self.FALSE) if holds else (self.FALSE, self.TRUE)
            if op == "in":
                return (self.leaf(a, "in", arg[1]),
                        self.seq("all", self.known(a) + [self.leaf(a, "notIn", arg[1])]))
            if op == "overlaps":
                # someFact / everyFact (operator decorators) reject a value that is not an array.
                return self.leaf(a, "someFact:in", arg[1]), self.leaf(a, "everyFact:notIn", arg[1])
            # within: every element is one of the values, and some is (the list is not empty)
            t = self.seq("all", [self.leaf(a, "everyFact:in", arg[1]),
                                 self.leaf(a, "someFact:in", arg[1])])
            return t, self.seq("all", self.known(a) + [{"not": t}])
        if op == "exists":
            a = self.value({"fact": arg} if isinstance(arg, str) else arg, scope)
            if not self.is_ref(a):
                return self.TRUE, self.FALSE
            return self.known(a)[0], {"not": self.known(a)[0]}
        if op in ("some", "every"):
            if scope is not None:
                raise ValueError("nested some/every")
            params = {"list": self.fact(arg["list"])}
            w = self.where(arg["where"])
            def quantifier(fn, tf):
                return self.leaf({"fact": fn, "params": dict(params, where=w[tf])}, "equal", True)

            if op == "some":
                return quantifier("fn:any_record", "T"), quantifier("fn:all_records", "F")
            return quantifier("fn:all_records", "T"), quantifier("fn:any_record", "F")
        if op == "disjoint":
            if scope is not None:
                raise ValueError("nested disjoint")
            params = {"list": self.fact(arg["list"]), "from": self.value(arg["from"], "record"),
                      "to": self.value(arg["to"], "record")}
            if "where" in arg:
                params["where"] = self.where(arg["where"])
            # One fact for T and F (the same params, so the run caches it): the pairwise test
            # visits every record, which two boolean facts would do twice.
            ref = {"fact": "fn:disjoint", "params": params}
            return self.leaf(ref, "equal", "met"), self.leaf(ref, "equal", "unmet")
        if op in ("pathway", "item"):
            if scope is not None:
                raise ValueError(f"{op} inside a list")  # the harness reads them from the run
            if op == "pathway":
                ref = {"fact": "fn:verdict", "params": {"pathway": arg}}
                unknown = "undetermined"
            else:
                pid, iid = arg.split("/")
                ref = {"fact": "fn:item_status", "params": {"pathway": pid, "item": iid}}
                unknown = "unknown"
            return self.leaf(ref, "in", c["is"]), self.leaf(ref, "notIn", c["is"] + [unknown])
        if op == "unsettled":
            return self.FALSE, self.FALSE
        raise ValueError(f"condition {op}")


JQ_PRELUDE = r"""
# Civil-date arithmetic (Howard Hinnant's days_from_civil), so jq needs no strptime.
def civil: split("-") | map(tonumber);
def days: civil as [$y0, $m, $d] | ($y0 - (if $m <= 2 then 1 else 0 end)) as $y
  | ((if $y >= 0 then $y else $y - 399 end) / 400 | floor) as $era | ($y - $era * 400) as $yoe
  | (((153 * ($m + (if $m > 2 then -3 else 9 end)) + 2) / 5 | floor) + $d - 1) as $doy
  | ($yoe * 365 + ($yoe / 4 | floor) - ($yoe / 100 | floor) + $doy) as $doe
  | $era * 146097 + $doe - 719468;
def from_days: (. + 719468) as $z | ((if $z >= 0 then $z else $z - 146096 end) / 146097 | floor) as $era
  | ($z - $era * 146097) as $doe
  | (($doe - ($doe / 1460 | floor) + ($doe / 36524 | floor) - ($doe / 146096 | floor)) / 365 | floor) as $yoe
  | ($doe - (365 * $yoe + ($yoe / 4 | floor) - ($yoe / 100 | floor))) as $doy
  | ((5 * $doy + 2) / 153 | floor) as $mp
  | ($doy - ((153 * $mp + 2) / 5 | floor) + 1) as $d
  | ($mp + (if $mp < 10 then 3 else -9 end)) as $m
  | ($yoe + $era * 400 + (if $m <= 2 then 1 else 0 end)) as $y
  | "\($y)-\(if $m < 10 then "0" else "" end)\($m)-\(if $d < 10 then "0" else "" end)\($d)";
def leap($y): ($y % 4 == 0 and $y % 100 != 0) or $y % 400 == 0;
def month_days($y; $m): [31, (if leap($y) then 29 else 28 end), 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][$m - 1];
def add_days($d; $n): ($d | days) + $n | from_days;
def add_months($d; $n): ($d | civil) as [$y, $m, $dd] | ($y * 12 + $m - 1 + $n) as $i
  | ($i / 12 | floor) as $ny | ($i - $ny * 12 + 1) as $nm
  | ([$dd, month_days($ny; $nm)] | min) as $nd
  | "\($ny)-\(if $nm < 10 then "0" else "" end)\($nm)-\(if $nd < 10 then "0" else "" end)\($nd)";
def months_between_pos($a; $b): ($a | civil) as [$ya, $ma, $da] | ($b | civil) as [$yb, $mb, $db]
  | (($yb - $ya) * 12 + $mb - $ma) as $n
  | if $n > 0 and add_months($a; $n) > $b then $n - 1 else $n end;
def months_between($a; $b): if $b < $a then 0 - months_between_pos($b; $a) else months_between_pos($a; $b) end;
def days_between($a; $b): ($b | days) - ($a | days);
# The rule language's `disjoint` over [[where, from, to], ...], one per record: an overlap of two
# records that count with known dates decides unmet before anything unknown does. Pairwise and
# strict, as the rule language defines it; YYYY-MM-DD strings order as the dates do.
def disjoint: [.[] | select(.[0] != 0)] as $c
  | [$c[] | select(.[0] == 1 and .[1] != null and .[2] != null)] as $k
  | if any(range($k | length) as $i | range($i + 1; $k | length) as $j | [$k[$i], $k[$j]];
        .[0][1] < .[1][2] and .[1][1] < .[0][2]) then 0
    elif ($k | length) < ($c | length) then 0.5 else 1 end;
"""


def first_key(c):
    keys = [k for k in c if k != "is"]
    return keys[0]


def items_in_force(pathway, as_of):
    return [i for i in pathway["items"] if in_force(i.get("effective"), as_of)]


def emit_jsonlogic(rules, order, as_of):
    t = JsonLogic(rules, as_of)
    lists = sorted(k for k, v in rules.facts.items() if v.get("type") == "list" and "fields" in v)
    out = {"as_of": as_of, "order": order, "record_lists": lists, "pathways": {}}
    for pid in order:
        p = rules.pathways[pid]
        entry = {"in_force": in_force(p.get("effective"), as_of), "items": []}
        if entry["in_force"]:
            for item in items_in_force(p, as_of):
                logic = t.cond(item["condition"]) if "condition" in item else 1
                entry["items"].append({"id": item["id"], "kind": item["kind"], "logic": logic})
        out["pathways"][pid] = entry
    return json.dumps(out, separators=(",", ":"))


def emit_rules_engine(rules, order, as_of):
    """The rule set as json-rules-engine rules: two per item in force, `met` (T) and `unmet` (F);
    neither firing is `unknown`. A pathway's rules get a lower priority than those of the
    pathways it reads, so the engine runs them in dependency order."""
    t = RulesEngine(rules, as_of)
    level = {}
    for pid in order:  # dependencies come first in `order`
        deps = set()
        for item in rules.pathways[pid]["items"]:
            dependencies(rules, item.get("condition"), deps)
        level[pid] = 1 + max((level[d] for d in deps), default=-1)
    top = max(level.values())
    out = {"as_of": as_of, "order": order, "pathways": {}, "conditions": t.named, "rules": []}
    for pid in order:
        p = rules.pathways[pid]
        entry = {"in_force": in_force(p.get("effective"), as_of), "items": []}
        if entry["in_force"]:
            for item in items_in_force(p, as_of):
                cond = t.cond(item["condition"]) if "condition" in item else (t.TRUE, t.FALSE)
                entry["items"].append({"id": item["id"], "kind": item["kind"]})
                for status, c in zip(("met", "unmet"), cond):
                    out["rules"].append({
                        "name": f"{pid}/{item['id']}:{status}", "priority": top - level[pid] + 1,
                        "conditions": t.root(c),
                        "event": {"type": status, "params": {"pathway": pid, "item": item["id"]}}})
        out["pathways"][pid] = entry
    return json.dumps(out, separators=(",", ":"))


def emit_jq(rules, order, wanted, as_of):
    t = Jq(rules, as_of)
    lines = [JQ_PRELUDE]
    # Definitions become jq functions of the profile; they may refer to one another.
    needed, todo = [], []
    for pid in order:
        for item in items_in_force(rules.pathways[pid], as_of):
            todo.append(item.get("condition"))
    seen = set()

    def refs(c):
        if isinstance(c, dict):
            for k, v in c.items():
                if k == "ref" and v not in seen:
                    seen.add(v)
                    refs(rules.definitions[v])
                    needed.append(v)
                else:
                    refs(v)
        elif isinstance(c, list):
            for v in c:
                refs(v)

    for c in todo:
        refs(c)
    # A jq def sees $p, $v and $i from where it is defined: pass them explicitly.
    for name in needed:
        body = t.cond(rules.definitions[name])
        lines.append(f"def {name.replace('-', '_')}($p; $v; $i): {body};")
    lines.append(r"""
def verdict($s): # $s: [[kind, truth], ...] of the items in force
  def any_is($k; $x): any($s[]; .[0] == $k and .[1] == $x);
  if any_is("gate"; 0) then "not-applicable"
  elif any_is("gate"; 0.5) then "undetermined"
  elif any_is("requirement"; 0) then "ineligible"
  elif any_is("restriction"; 0) then "blocked"
  elif any_is("requirement"; 0.5) or any_is("restriction"; 0.5) then "undetermined"
  elif any_is("condition"; 0) or any_is("condition"; 0.5) then "conditional"
  else "eligible" end;
def status($x): if $x == 1 then "met" elif $x == 0 then "unmet" else "unknown" end;
""")
    body = [". as $p | {} as $v | {} as $i"]
    for pid in order:
        p = rules.pathways[pid]
        if not in_force(p.get("effective"), as_of):
            body.append(f'| ($v | .["{pid}"] = "not-applicable") as $v')
            continue
        parts = []
        for item in items_in_force(p, as_of):
            cond = t.cond(item["condition"]) if "condition" in item else "1"
            parts.append(f'[{json.dumps(item["id"])}, {json.dumps(item["kind"])}, {cond}]')
        body.append(f"| [{', '.join(parts)}] as $s")
        body.append(f'| ($i | .["{pid}"] = (reduce $s[] as $x ({{}}; .[$x[0]] = status($x[2])))) as $i')
        body.append(f'| ($v | .["{pid}"] = verdict([$s[] | [.[1], .[2]]])) as $v')
    body.append("| [" + ", ".join(f'$v["{pid}"]' for pid in wanted) + '] | join(",")')
    lines.append("\n".join(body))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rules", default="rules")
    ap.add_argument("--as-of", required=True)
    ap.add_argument("--target", choices=["jsonlogic", "jq", "json-rules-engine"], required=True)
    ap.add_argument("pathways", nargs="+")
    args = ap.parse_args()
    rules = RuleSet(args.rules)
    order = evaluation_order(rules, args.pathways)
    if args.target == "jsonlogic":
        sys.stdout.write(emit_jsonlogic(rules, order, args.as_of) + "\n")
    elif args.target == "json-rules-engine":
        sys.stdout.write(emit_rules_engine(rules, order, args.as_of) + "\n")
    else:
        sys.stdout.write(emit_jq(rules, order, args.pathways, args.as_of) + "\n")


if __name__ == "__main__":
    main()
