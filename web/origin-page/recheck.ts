/**
 * The origin page's "check it again" button: downloads the lot's signed record and verifies it
 * in the buyer's own browser with the same verifier the server and the CLI use. The verifier is
 * fetched only on a click, so the page stays small; without JavaScript the button stays hidden
 * and the page still links to the record for offline checking.
 */
const button = document.getElementById('recheck') as HTMLButtonElement | null;
const output = document.getElementById('recheck-result');

if (button && output) {
  button.hidden = false;
  button.addEventListener('click', async () => {
    // Plain words only (the page's own, in its language); the reasons of a failure go to the console.
    const say = (key: 'checking' | 'ok' | 'fail' | 'error') => {
      output.textContent = button.dataset[key] ?? '';
    };
    button.disabled = true;
    say('checking');
    try {
      const [{ verifyBundle }, response] = await Promise.all([import('../../api/src/verifier/verify-bundle.js'), fetch(button.dataset.bundle ?? '')]);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const report = await verifyBundle(await response.json());
      // A valid record of another lot must not pass for this one.
      const sameLot = report.lot?.uri === button.dataset.lot;
      if (report.valid && sameLot) say('ok');
      else {
        say('fail');
        console.warn('record check failed', sameLot ? report.errors.concat(report.events.flatMap((e) => e.failures.map((f) => f.message))) : ['another lot']);
      }
    } catch {
      say('error');
    } finally {
      button.disabled = false;
    }
  });
}
