// Prints the calibration table for docs/simulator.md: npx tsx test/sim/cost/print-calibration.ts
import {calibrationMarkdown} from '../../../src/sim/cost/index.js';
import {h200CalibrationReport} from './calibration-fixture.js';

process.stdout.write(calibrationMarkdown(h200CalibrationReport()));
