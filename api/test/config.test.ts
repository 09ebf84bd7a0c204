import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../src/core/config.js';

const JWT_SECRET = 'j'.repeat(32) + '-production-jwt-secret';
const KEY_ENCRYPTION_KEY = 'k'.repeat(32) + '-production-key-encryption';

/** Runs `load` and returns the ConfigError it throws; fails the test if it throws nothing or something else. */
function configErrorOf(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return error as ConfigError;
  }
  expect.fail('loadConfig did not throw');
}

describe('loadConfig', function () {
  let dir: string;

  beforeEach(function () {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ft-config-'));
  });

  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  const sqlite = () => `sqlite:${path.join(dir, 'trace.db')}`;

  it('when NODE_ENV=production and JWT_SECRET is missing, then a ConfigError names JWT_SECRET and nothing is written', function () {
    const error = configErrorOf(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: sqlite(), KEY_ENCRYPTION_KEY }));
    expect(error.message).to.include('JWT_SECRET');
    expect(error.message).to.not.include('KEY_ENCRYPTION_KEY');
    expect(existsSync(path.join(dir, 'secrets.json'))).to.equal(false);
  });

  it('when NODE_ENV=production and both secrets are missing, then the ConfigError names JWT_SECRET and KEY_ENCRYPTION_KEY', function () {
    const error = configErrorOf(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: sqlite() }));
    expect(error.message).to.include('JWT_SECRET');
    expect(error.message).to.include('KEY_ENCRYPTION_KEY');
    expect(existsSync(path.join(dir, 'secrets.json'))).to.equal(false);
  });

  it('when NODE_ENV=production and a secret is shorter than 32 characters, then a ConfigError names it', function () {
    const error = configErrorOf(() =>
      loadConfig({ NODE_ENV: 'production', DATABASE_URL: sqlite(), JWT_SECRET: 'too-short', KEY_ENCRYPTION_KEY }),
    );
    expect(error.message).to.include('JWT_SECRET');
  });

  it('when NODE_ENV=production with both secrets of 32+ characters, then it loads, uses them and turns the demo seed off', function () {
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: sqlite(), JWT_SECRET, KEY_ENCRYPTION_KEY, DEMO_SEED: '1' });
    expect(config.env).to.equal('production');
    expect(config.demoSeed).to.equal(false);
    expect(config.secrets.JWT_SECRET).to.equal(JWT_SECRET);
    expect(config.secrets.KEY_ENCRYPTION_KEY).to.equal(KEY_ENCRYPTION_KEY);
    expect(config.database).to.deep.equal({ kind: 'sqlite', path: path.join(dir, 'trace.db') });
    expect(existsSync(path.join(dir, 'secrets.json'))).to.equal(false);
  });

  it('when both secrets are set, then config.secrets holds exactly those two (and no previous key-encryption key) and no other setting', function () {
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: sqlite(), JWT_SECRET, KEY_ENCRYPTION_KEY });
    expect(config.secrets).to.deep.equal({ JWT_SECRET, KEY_ENCRYPTION_KEY, KEY_ENCRYPTION_KEY_PREVIOUS: null });
  });

  it('when NODE_ENV=development without secrets, then <dataDir>/secrets.json is created with mode 0600 and a second load returns the same secrets', function () {
    const dataDir = path.join(dir, 'data');
    const env = { NODE_ENV: 'development', DATA_DIR: dataDir, DATABASE_URL: sqlite() };
    const first = loadConfig(env);
    const file = path.join(dataDir, 'secrets.json');
    expect(first.dataDir).to.equal(dataDir);
    expect(existsSync(file)).to.equal(true);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    expect(first.secrets.JWT_SECRET).to.have.length.of.at.least(32);
    expect(first.secrets.KEY_ENCRYPTION_KEY).to.have.length.of.at.least(32);
    expect(first.secrets.JWT_SECRET).to.not.equal(first.secrets.KEY_ENCRYPTION_KEY);
    const { KEY_ENCRYPTION_KEY_PREVIOUS, ...generated } = first.secrets;
    expect(KEY_ENCRYPTION_KEY_PREVIOUS).to.equal(null);
    expect(JSON.parse(readFileSync(file, 'utf8'))).to.deep.equal(generated);
    expect(first.demoSeed).to.equal(true);

    const second = loadConfig(env);
    expect(second.secrets).to.deep.equal(first.secrets);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
  });

  it('when DATA_DIR is not set, then secrets.json goes next to the SQLite file', function () {
    const dbDir = path.join(dir, 'db');
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: `sqlite:${path.join(dbDir, 'trace.db')}` });
    expect(config.dataDir).to.equal(dbDir);
    expect(statSync(path.join(dbDir, 'secrets.json')).mode & 0o777).to.equal(0o600);
  });

  it('when one secret is given in development, then it is used as given and only the other is generated and stored', function () {
    const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dir, DATABASE_URL: sqlite(), JWT_SECRET });
    expect(config.secrets.JWT_SECRET).to.equal(JWT_SECRET);
    const stored = JSON.parse(readFileSync(path.join(dir, 'secrets.json'), 'utf8')) as Record<string, string>;
    expect(stored).to.not.have.property('JWT_SECRET');
    expect(stored.KEY_ENCRYPTION_KEY).to.equal(config.secrets.KEY_ENCRYPTION_KEY);
  });

  for (const port of ['abc', '70000', '-1', '3.5']) {
    it(`when PORT is ${port}, then a ConfigError names PORT`, function () {
      const error = configErrorOf(() => loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, DATABASE_URL: sqlite(), PORT: port }));
      expect(error.message).to.include('PORT');
    });
  }

  it('when DATABASE_URL is postgres://x, then a ConfigError names DATABASE_URL', function () {
    const error = configErrorOf(() => loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, DATABASE_URL: 'postgres://x' }));
    expect(error.message).to.include('DATABASE_URL');
  });

  it('when DATABASE_URL is mongodb://…, then the database is MongoDB with that URI', function () {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, DATABASE_URL: 'mongodb://db:27017/trace?replicaSet=rs0' });
    expect(config.database).to.deep.equal({ kind: 'mongodb', uri: 'mongodb://db:27017/trace?replicaSet=rs0' });
  });

  it('when a variable is set to the empty string, then it counts as unset and takes its default', function () {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, DATABASE_URL: sqlite(), PORT: '', DEMO_SEED: '' });
    expect(config.port).to.equal(3000);
    expect(config.demoSeed).to.equal(true);
  });

  it('when PUBLIC_BASE_URL is not set, then it defaults to http://localhost:<PORT>', function () {
    expect(loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, DATABASE_URL: sqlite(), PORT: '4321' }).publicBaseUrl).to.equal('http://localhost:4321');
    expect(loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, DATABASE_URL: sqlite() }).publicBaseUrl).to.equal('http://localhost:3000');
  });

  it('when PUBLIC_BASE_URL is set with a trailing slash, then it is used without it', function () {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, DATABASE_URL: sqlite(), PUBLIC_BASE_URL: 'https://trace.example.vn/' });
    expect(config.publicBaseUrl).to.equal('https://trace.example.vn');
  });

  it('when PUBLIC_BASE_URL is not a URL, then a ConfigError names it', function () {
    const error = configErrorOf(() => loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, DATABASE_URL: sqlite(), PUBLIC_BASE_URL: 'not a url' }));
    expect(error.message).to.include('PUBLIC_BASE_URL');
  });

  it('when nothing is set but a data folder, then the defaults hold: port 3000, sqlite ./data/trace.db, demo seed on', function () {
    const config = loadConfig({ DATA_DIR: dir });
    expect(config.port).to.equal(3000);
    expect(config.env).to.equal('development');
    expect(config.database).to.deep.equal({ kind: 'sqlite', path: './data/trace.db' });
    expect(config.demoSeed).to.equal(true);
    expect(config.tokenTtlSeconds).to.equal(3600);
  });

  it('when DEMO_SEED=0, then the demo seed is off', function () {
    expect(loadConfig({ NODE_ENV: 'development', DATA_DIR: dir, DATABASE_URL: sqlite(), DEMO_SEED: '0' }).demoSeed).to.equal(false);
  });
});
