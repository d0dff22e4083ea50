// Shared by the suite's scripts: the server under test, counted checks, and the outbox reader.
import fs from 'node:fs';
import path from 'node:path';

export const base = process.env.SHARPBASE_URL;
export const dataDir = process.env.SHARPBASE_DATA;
export const results = process.env.SHARPBASE_TEST_RESULTS ?? '.';

let passed = 0;
let failed = 0;

/** Runs one named check; a throw is a failure, printed with its reason. */
export async function check(name, body) {
  try {
    await body();
    passed++;
    console.log(`  ok   ${name}`);
  } catch (error) {
    failed++;
    console.log(`  FAIL ${name}: ${error?.stack ?? error}`);
  }
}

export function assert(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

/** Prints the counts for the suite script and exits non-zero on any failure. */
export function finish(suite) {
  console.log(`RESULT ${suite} ${passed} ${failed}`);
  process.exit(failed === 0 ? 0 : 1);
}

/** The one-time token of the newest mail to `email` whose link goes to `route` (`route?token=` or `route#token=`; the server writes mail to sb_data/outbox as .eml). */
export async function tokenFromOutbox(email, route) {
  // Mail is sent after the answer, so it may take a moment to land.
  for (let attempt = 0; attempt < 100; attempt++) {
    const token = findToken(email, route);
    if (token) {
      return token;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail to ${email} with a ${route} link in ${path.join(dataDir, 'outbox')}`);
}

function findToken(email, route) {
  const folder = path.join(dataDir, 'outbox');
  if (!fs.existsSync(folder)) {
    return null;
  }
  // Only finished mails: the server writes `<name>.eml.partial` and renames it, so a partial file can
  // vanish between listing the folder and reading it.
  const files = fs.readdirSync(folder).filter((f) => f.endsWith('.eml')).map((f) => path.join(folder, f)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  for (const file of files) {
    const raw = fs.readFileSync(file, 'utf8');
    if (!raw.toLowerCase().includes(email.toLowerCase())) {
      continue;
    }
    // As written, or quoted-printable (soft line breaks joined, =XX decoded) when the mail is encoded so.
    const text = /quoted-printable/i.test(raw) ? raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16))) : raw;
    const match = text.match(new RegExp(`${route.replace(/\//g, '\\/')}[?#]token=([A-Za-z0-9_%-]+)`));
    if (match) {
      return decodeURIComponent(match[1]);
    }
  }
  return null;
}
