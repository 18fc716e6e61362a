// The core pathways in json-rules-engine, for bench/run: reads the rules written by
// `bench/translate.py --target json-rules-engine` and NDJSON profiles from standard input, and
// prints one line per profile with the verdicts of the requested pathways, comma-separated (the
// output of bench/peers/jsonlogic.js).
//
//   node bench/peers/rules_engine.js rules.json PATHWAY... < profiles.ndjson
//
// Each item is two rules, `met` and `unmet` (json-rules-engine is two-valued; the translation
// splits every condition into a "definitely met" and a "definitely unmet" one); an item for which
// neither fires is unknown. The profile's top-level keys are the run's facts. This file only adds
// what the engine lacks, as generic primitives that know nothing of the rules:
//   - the operator `known` (not null / undefined): the engine has no presence test;
//   - computed facts `fn:*` (engine.addFact): date arithmetic and arithmetic, coalesce,
//     quantifiers, aggregates and the pairwise overlap test `disjoint` over a list of records (a
//     named condition evaluated per record), and the verdicts and item statuses of pathways that
//     already ran;
//   - a path resolver for the translation's plain `$.a.b` paths (the engine option
//     `pathResolver`; the default, JSONPath through jsonpath-plus, gives the same verdicts with
//     about 1.6 times the CPU time: RULES_ENGINE_JSONPATH=1 selects it).
//
// engine.run is asynchronous. Profiles are run one at a time (each run awaited before the next),
// which is the fastest: batches of N concurrent runs (RULES_ENGINE_BATCH=N) give the same
// verdicts but take about 1.3x (N=4) and 1.9x (N=16) the CPU time, the overlapping runs'
// promises and cloned conditions costing more in garbage collection. A batch needs one Engine per run: an
// Engine keeps a single `status`, and the first of overlapping runs to finish makes the others
// skip their remaining priority sets (here: the pathways that read other pathways).
'use strict';
const fs = require('fs');
const readline = require('readline');
const {Engine, Almanac, Rule} = require('json-rules-engine');
const dates = require('./dates');

const [rulesPath, ...wanted] = process.argv.slice(2);
const rules = JSON.parse(fs.readFileSync(rulesPath, 'utf8'));
const BATCH = Number(process.env.RULES_ENGINE_BATCH || 1);

const paths = new Map();
function plainPath(value, path) {
  let keys = paths.get(path);
  if (keys === undefined) {
    keys = path.slice(2).split('.');
    paths.set(path, keys);
  }
  for (const k of keys) {
    if (value == null || typeof value !== 'object') return undefined;
    value = value[k];
  }
  return value;
}
const almanacOptions = {allowUndefinedFacts: true};
if (!process.env.RULES_ENGINE_JSONPATH) almanacOptions.pathResolver = plainPath;

// The almanac of one profile's run, and that of one record of a list of it (the record is the
// fact `@record`, beside the profile's facts), made once per record and run.
class ProfileAlmanac extends Almanac {
  constructor(profile) {
    super(almanacOptions);
    this.profile = profile;
    this.records = new Map();
  }
}
class RecordAlmanac extends Almanac {
  constructor(engine, parent, record) {
    super(almanacOptions);
    engine.facts.forEach((fact) => this.addFact(fact));
    for (const k of Object.keys(parent.profile)) this.addFact(k, parent.profile[k]);
    this.addFact('@record', record);
  }
}

function verdictOf(items) {
  // The verdict precedence of docs/rule-language.md over the items' statuses.
  const has = (kind, s) => items.some((i) => i.kind === kind && i.status === s);
  if (has('gate', 'unmet')) return 'not-applicable';
  if (has('gate', 'unknown')) return 'undetermined';
  if (has('requirement', 'unmet')) return 'ineligible';
  if (has('restriction', 'unmet')) return 'blocked';
  if (has('requirement', 'unknown') || has('restriction', 'unknown')) return 'undetermined';
  if (has('condition', 'unmet') || has('condition', 'unknown')) return 'conditional';
  return 'eligible';
}

// Statuses of a pathway's items from the events of the rules that ran ('met' / 'unmet' events).
function statuses(events, pid) {
  const out = new Map();
  for (const e of events) if (e.params.pathway === pid) out.set(e.params.item, e.type);
  return rules.pathways[pid].items.map((i) => ({kind: i.kind, id: i.id,
    status: out.get(i.id) || 'unknown'}));
}
function verdict(events, pid) {
  return rules.pathways[pid].in_force ? verdictOf(statuses(events, pid)) : 'not-applicable';
}

function makeEngine() {
  const engine = new Engine([], almanacOptions);
  engine.addOperator('known', (a) => a != null);

  // A named condition (the T or F of a quantifier's `where`) evaluated on one record.
  const whereRules = new Map();
  const recordAlmanac = (almanac, r) => {
    let a = almanac.records.get(r);
    if (!a) almanac.records.set(r, (a = new RecordAlmanac(engine, almanac, r)));
    return a;
  };
  const holds = async (name, almanac, r) => {
    let rule = whereRules.get(name);
    if (!rule) {
      rule = new Rule({conditions: {condition: name}, event: {type: name}});
      rule.setEngine(engine);
      whereRules.set(name, rule);
    }
    return (await rule.evaluate(recordAlmanac(almanac, r))).result === true;
  };
  const list = async (params, almanac) => {
    const l = await almanac.getValue(params.list);
    return Array.isArray(l) ? l : null;
  };
  const fact = (name, fn) => engine.addFact(name, fn);  // cached per params and run (default)
  const args = (params, almanac) => Promise.all(params.args.map((v) => almanac.getValue(v)));

  for (const op of ['months_between', 'days_between', 'add_months', 'add_days']) {
    fact(`fn:${op}`, async (params, almanac) => {
      const [a, b] = await args(params, almanac);
      return a == null || b == null ? null : dates[op](a, b);
    });
  }
  fact('fn:add', async (params, almanac) => {
    const [a, b] = await args(params, almanac);
    return a == null || b == null ? null : a + b;
  });
  fact('fn:sub', async (params, almanac) => {
    const [a, b] = await args(params, almanac);
    return a == null || b == null ? null : a - b;
  });
  fact('fn:coalesce', async (params, almanac) => {
    for (const v of await args(params, almanac)) if (v != null) return v;
    return null;
  });
  // Whether the named condition `where` holds for some / every record (false for a list that
  // is unknown: the translation asks both for T and for F).
  fact('fn:any_record', async (params, almanac) => {
    const l = await list(params, almanac);
    if (l === null) return false;
    for (const r of l) if (await holds(params.where, almanac, r)) return true;
    return false;
  });
  fact('fn:all_records', async (params, almanac) => {
    const l = await list(params, almanac);
    if (l === null) return false;
    for (const r of l) if (!(await holds(params.where, almanac, r))) return false;
    return true;
  });
  // count / sum over the records whose `where` is met; unknown (null) if for some record it is
  // neither met nor unmet, or a summed value is unknown.
  const aggregate = (sum) => async (params, almanac) => {
    const l = await list(params, almanac);
    if (l === null) return null;
    let acc = 0;
    for (const r of l) {
      if (params.where && !(await holds(params.where.T, almanac, r))) {
        if (await holds(params.where.F, almanac, r)) continue;
        return null;
      }
      const v = sum ? await recordAlmanac(almanac, r).getValue(params.of) : 1;
      if (v == null) return null;
      acc += v;
    }
    return acc;
  };
  fact('fn:count', aggregate(false));
  fact('fn:sum', aggregate(true));
  // `disjoint` as a status, 'met' / 'unmet' / 'unknown' (the translation's T and F read the same
  // cached fact): an overlap between two records that count with known dates is unmet whatever
  // else is unknown, so no record stops the loop early. Pairwise and strict, as the rule language
  // defines it; YYYY-MM-DD strings order as the dates do.
  fact('fn:disjoint', async (params, almanac) => {
    const l = await list(params, almanac);
    if (l === null) return 'unknown';
    const known = [];
    let unknown = false;
    for (const r of l) {
      if (params.where && !(await holds(params.where.T, almanac, r))) {
        if (!(await holds(params.where.F, almanac, r))) unknown = true;
        continue;
      }
      const a = recordAlmanac(almanac, r);
      const from = await a.getValue(params.from);
      const to = await a.getValue(params.to);
      if (from == null || to == null) unknown = true;
      else known.push([from, to]);
    }
    for (let i = 0; i < known.length; i++) {
      for (let j = i + 1; j < known.length; j++) {
        if (known[i][0] < known[j][1] && known[j][0] < known[i][1]) return 'unmet';
      }
    }
    return unknown ? 'unknown' : 'met';
  });
  // Pathways that already ran (higher priority): their verdicts and item statuses.
  engine.addFact('fn:verdict', (params, almanac) =>
    verdict(almanac.getEvents('success'), params.pathway));
  engine.addFact('fn:item_status', (params, almanac) => {
    const p = rules.pathways[params.pathway];
    if (!p.in_force || !p.items.some((i) => i.id === params.item)) return 'inactive';
    const items = statuses(almanac.getEvents('success'), params.pathway);
    return items.find((i) => i.id === params.item).status;
  });

  for (const [name, c] of Object.entries(rules.conditions)) engine.setCondition(name, c);
  for (const r of rules.rules) engine.addRule(r);
  return engine;
}

async function evaluate(engine, profile) {
  const almanac = new ProfileAlmanac(profile);
  await engine.run(profile, {almanac});
  const events = almanac.getEvents('success');
  return wanted.map((pid) => verdict(events, pid)).join(',');
}

async function main() {
  const engines = Array.from({length: BATCH}, makeEngine);
  const rl = readline.createInterface({input: process.stdin, crlfDelay: Infinity});
  let batch = [];
  const out = [];
  const flush = async () => {
    out.push(...(await Promise.all(batch.map((p, i) => evaluate(engines[i], p)))));
    batch = [];
    if (out.length >= 4096) process.stdout.write(out.splice(0).join('\n') + '\n');
  };
  for await (const line of rl) {
    if (line.trim() === '') continue;
    batch.push(JSON.parse(line));
    if (batch.length === BATCH) await flush();
  }
  if (batch.length) await flush();
  if (out.length) process.stdout.write(out.join('\n') + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
