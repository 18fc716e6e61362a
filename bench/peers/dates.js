// The rule language's date arithmetic on YYYY-MM-DD strings (as src/date.cpp), for the peers.
'use strict';

function parse(s) {
  return [Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))];
}
function days(s) {
  const [y, m, d] = parse(s);
  return Date.UTC(y, m - 1, d) / 86400000;
}
function format(y, m, d) {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
function fromDays(n) {
  const t = new Date(n * 86400000);
  return format(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}
function daysInMonth(y, m) {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}
function addMonths(s, n) {
  const [y, m, d] = parse(s);
  const i = y * 12 + (m - 1) + n;
  const ny = Math.floor(i / 12);
  const nm = i - ny * 12 + 1;
  return format(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}
function monthsBetween(a, b) {
  if (b < a) return -monthsBetween(b, a);
  const [ya, ma] = parse(a);
  const [yb, mb] = parse(b);
  let n = (yb - ya) * 12 + (mb - ma);
  if (n > 0 && addMonths(a, n) > b) n -= 1;
  return n;
}

module.exports = {
  months_between: monthsBetween,
  days_between: (a, b) => days(b) - days(a),
  add_months: addMonths,
  add_days: (s, n) => fromDays(days(s) + n),
};
