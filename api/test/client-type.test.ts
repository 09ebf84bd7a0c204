import { expect } from 'chai';
import { classifyUserAgent, type ClientType } from '../src/domain/client-type.js';

describe('client type from the User-Agent', () => {
  const samples: Array<[ClientType, string | undefined]> = [
    ['android', 'Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36'],
    ['android', 'Mozilla/5.0 (Linux; Android 12; CPH2339) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Mobile Safari/537.36 Zalo android/12100470 ZaloTheme/light ZaloLanguage/vn'],
    ['android', 'Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0.4664.104 Mobile Safari/537.36'],
    ['android', 'Mozilla/5.0 (Linux; Android 11; Redmi Note 8) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/112.0.210 Mobile Chrome/106.0.5249.210 Mobile Safari/537.36'],
    ['ios', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1'],
    ['ios', 'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/119.0.6045.169 Mobile/15E148 Safari/604.1'],
    ['ios', 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/421.0.0.33.105;FBBV/512345678]'],
    ['desktop', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0'],
    ['desktop', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15'],
    ['desktop', 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0'],
    ['desktop', 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'],
    ['bot', 'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.71 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
    ['bot', 'Mozilla/5.0 (iPhone; CPU iPhone OS 7_0 like Mac OS X) AppleWebKit/537.51.1 (KHTML, like Gecko) Version/7.0 Mobile/11A465 Safari/9537.53 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
    ['bot', 'Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)'],
    ['bot', 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'],
    ['bot', 'WhatsApp/2.23.20.0 A'],
    ['bot', 'TelegramBot (like TwitterBot)'],
    ['bot', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)'],
    ['bot', 'curl/8.5.0'],
    ['bot', 'python-requests/2.31.0'],
    ['bot', 'okhttp/4.12.0'],
    ['bot', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36'],
    ['other', undefined],
    ['other', ''],
    ['other', '   '],
    ['other', 'Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0 Safari/605.1.15'],
    ['other', 'Mozilla/5.0 (Mobile; rv:48.0) Gecko/48.0 Firefox/48.0 KAIOS/2.5'],
  ];

  for (const [expected, ua] of samples) {
    it(`when the User-Agent is ${ua === undefined ? 'missing' : JSON.stringify(ua.slice(0, 70))}, then the client type is ${expected}`, () => {
      expect(classifyUserAgent(ua)).to.equal(expected);
    });
  }

  it('when the User-Agent is huge, then only its start is read and the answer is quick', () => {
    const started = process.hrtime.bigint();
    const huge = `Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) ${'(compatible; '.repeat(20_000)}`;
    expect(classifyUserAgent(huge)).to.equal('ios');
    expect(Number(process.hrtime.bigint() - started) / 1e6).to.be.below(50);
  });
});
