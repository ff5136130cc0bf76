export {RealClock, type RealClockOptions} from './real-clock.js';
export {VirtualClock} from './virtual-clock.js';
