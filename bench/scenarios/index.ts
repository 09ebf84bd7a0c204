import { http } from './http.js';
import type { Scenario } from './scenario.js';
import { exportsScenario } from './exports.js';
import { lighthouseScenario } from './lighthouse.js';
import { log } from './log.js';
import { qr } from './qr.js';
import { verify } from './verify.js';

/** Every scenario, in the order they run. */
export const scenarios: Scenario[] = [http, verify, qr, exportsScenario, log, lighthouseScenario];
