/** In a worker thread's argv, before the worker's name, when the bundle runs it (see bundle-main.ts). */
export const WORKER_FLAG = '--perlbot-hunt-worker';
