// Before `npm test`: the browser tests drive Debian's Chromium. Install it when it is missing and we
// may (root with apt-get, as on CI and fresh servers); otherwise say exactly what to do.
import { execSync } from 'node:child_process';
import fs from 'node:fs';

const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (process.env.SKIP_BROWSER_TESTS === '1' || fs.existsSync(path)) process.exit(0);

const canInstall = process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get');
if (canInstall) {
  console.log('[pretest] Chromium not found: installing Debian chromium for the browser tests…');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
  process.exit(0);
}
console.error(
  `[pretest] Chromium not found at ${path}. Install it with \`sudo apt-get install -y chromium\`, ` +
    'point CHROMIUM_PATH at another build, or set SKIP_BROWSER_TESTS=1 to run without browser tests.',
);
process.exit(1);
