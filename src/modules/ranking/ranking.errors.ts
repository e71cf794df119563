import { defineCodes } from '../../pkg/errors/app-error.js';

/** Module 05 (hot ranking). */
export const RankingCodes = defineCodes({
  // Only when this instance has never held a copy and the shared cache is down: any earlier copy is served instead.
  unavailable: { code: 505001, kind: 'unavailable', msg: 'the hot list is temporarily unavailable', severity: 'P1' },
  // The job row's config does not fit RankingJobConfig (edited by hand?): the run fails, the last list stays.
  badConfig: { code: 505002, kind: 'internal', msg: 'the ranking job has an invalid config', severity: 'P1' },
});
