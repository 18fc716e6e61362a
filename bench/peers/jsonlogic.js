// The core pathways in json-logic-js, for bench/run: reads the rules written by
// `bench/translate.py --target jsonlogic` and NDJSON profiles from standard input, and prints
// one line per profile with the verdicts of the requested pathways, comma-separated.
//
//   node bench/peers/jsonlogic.js rules.json PATHWAY... < profiles.ndjson
'use strict';
const fs = require('fs');
const readline = require('readline');
const jsonLogic = require('json-logic-js');
const dates = require('./dates');

// json-logic has no date arithmetic: the four operations of the rule language, null-propagating.
for (const op of ['months_between', 'days_between', 'add_months', 'add_days']) {
  jsonLogic.add_operation(op, (a, b) => (a == null || b == null ? null : dates[op](a, b)));
}

// `disjoint` over the [where, from, to] of each record (where 1 / 0.5 / 0): json-logic cannot
// compare every record with every other. An overlap between two records that count with known
// dates decides unmet, whatever else is unknown; the test is the rule language's, pairwise and
// strict (sharing a boundary day is no overlap). YYYY-MM-DD strings order as the dates do.
jsonLogic.add_operation('disjoint', (periods) => {
  const known = [];
  let unknown = false;
  for (const [where, from, to] of periods) {
    if (where === 0) continue;
    if (where !== 1 || from == null || to == null) unknown = true;
    else known.push([from, to]);
  }
  for (let i = 0; i < known.length; i++) {
    for (let j = i + 1; j < known.length; j++) {
      if (known[i][0] < known[j][1] && known[j][0] < known[i][1]) return 0;
    }
  }
  return unknown ? 0.5 : 1;
});

const [rulesPath, ...wanted] = process.argv.slice(2);
const rules = JSON.parse(fs.readFileSync(rulesPath, 'utf8'));

function status(x) {
  return x === 1 ? 'met' : x === 0 ? 'unmet' : 'unknown';
}

// The verdict precedence of docs/rule-language.md over the items' truth values.
function verdict(items) {
  const has = (kind, x) => items.some((i) => i.kind === kind && i.truth === x);
  if (has('gate', 0)) return 'not-applicable';
  if (has('gate', 0.5)) return 'undetermined';
  if (has('requirement', 0)) return 'ineligible';
  if (has('restriction', 0)) return 'blocked';
  if (has('requirement', 0.5) || has('restriction', 0.5)) return 'undetermined';
  if (has('condition', 0) || has('condition', 0.5)) return 'conditional';
  return 'eligible';
}

// Lists of records whose conditions read facts of the profile (json-logic's reduce sees only
// the record): link each record to the profile.
const recordLists = rules.record_lists || [];
function get(obj, path) {
  for (const k of path.split('.')) {
    if (obj == null) return undefined;
    obj = obj[k];
  }
  return obj;
}

function evaluate(profile) {
  for (const path of recordLists) {
    const list = get(profile, path);
    if (Array.isArray(list)) for (const r of list) if (r && typeof r === 'object') r._root = profile;
  }
  profile._verdict = {};
  profile._item = {};
  for (const pid of rules.order) {
    const p = rules.pathways[pid];
    if (!p.in_force) {
      profile._verdict[pid] = 'not-applicable';
      continue;
    }
    const results = [];
    const statuses = {};
    for (const item of p.items) {
      const truth = jsonLogic.apply(item.logic, profile);
      results.push({kind: item.kind, truth});
      statuses[item.id] = status(truth);
    }
    profile._item[pid] = statuses;
    profile._verdict[pid] = verdict(results);
  }
  return wanted.map((pid) => profile._verdict[pid]).join(',');
}

const out = [];
const rl = readline.createInterface({input: process.stdin, crlfDelay: Infinity});
rl.on('line', (line) => {
  if (line.trim() === '') return;
  out.push(evaluate(JSON.parse(line)));
  if (out.length >= 4096) process.stdout.write(out.splice(0).join('\n') + '\n');
});
rl.on('close', () => {
  if (out.length) process.stdout.write(out.join('\n') + '\n');
});
