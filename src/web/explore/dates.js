// Dates as the API gives them: a span (`start`, `end`) with a precision. A MONTH-precision
// event is the whole month, never its first day.

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

/** A span as words: "2 August 2017", "June 2016", "9–11 February 2026", "date unknown". */
export function span(d) {
  if (!d || !d.start) return 'date unknown';
  const [y, m, day] = d.start.split('-').map(Number);
  switch (d.precision) {
    case 'DAY': return `${day} ${MONTHS[m - 1]} ${y}`;
    case 'MONTH': return `${MONTHS[m - 1]} ${y}`;
    case 'YEAR': return String(y);
    case 'WEEK': return `the week of ${day} ${MONTHS[m - 1]} ${y}`;
    default: {
      if (!d.end || d.end === d.start) return `${day} ${MONTHS[m - 1]} ${y}`;
      const [y2, m2, day2] = d.end.split('-').map(Number);
      const approx = d.derived ? ' (approximate)' : '';
      if (y === y2 && m === m2) return `${day}–${day2} ${MONTHS[m - 1]} ${y}${approx}`;
      if (y === y2) return `${day} ${MONTHS[m - 1]} – ${day2} ${MONTHS[m2 - 1]} ${y}${approx}`;
      return `${day} ${MONTHS[m - 1]} ${y} – ${day2} ${MONTHS[m2 - 1]} ${y2}${approx}`;
    }
  }
}

/** A date as a fractional year (2017.58…), for placing it on an axis. */
export function yearFraction(iso, endOfDay = false) {
  const [y, m, d] = iso.split('-').map(Number);
  const start = Date.UTC(y, 0, 1);
  const next = Date.UTC(y + 1, 0, 1);
  const t = Date.UTC(y, m - 1, d + (endOfDay ? 1 : 0));
  return y + (t - start) / (next - start);
}

/** A period's label: "2017", "2017-08" → "August 2017", null → "undated". */
export function period(p) {
  if (!p) return 'undated';
  const [y, m] = p.split('-');
  return m ? `${MONTHS[Number(m) - 1]} ${y}` : y;
}
