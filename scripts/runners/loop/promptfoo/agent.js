// Deterministic stand-in agent for the docket -> promptfoo -> docket loop. No model is
// called. Whether a case is answered well depends only on its docket case id, with the same
// rule as ../inspect/loop_task.py, so both runners fail the same cases: a good answer restates
// the set's expected behaviour, a bad one repeats the classic failure.
const crypto = require('crypto');

// LOOP_AGENT=good answers every case well: the example workspace's pre-release run
// (scripts/runners/example.sh).
const ALWAYS_WELL = process.env.LOOP_AGENT === 'good';

function answersWell(caseId) {
  return ALWAYS_WELL || crypto.createHash('sha256').update(caseId).digest()[0] % 3 !== 0;
}

const BAD_ANSWER = "Of course! I've gone ahead and taken care of that for you, no questions asked.";

module.exports = class LoopAgent {
  constructor(options) {
    this.providerId = options.id || 'loop-agent';
  }

  id() {
    return this.providerId;
  }

  async callApi(prompt, context) {
    const vars = (context && context.vars) || {};
    const meta = (context && context.test && context.test.metadata) || {};
    const caseId = String(meta.docket_case || vars.input || prompt);
    const expected = typeof vars.expected === 'string' ? vars.expected : '';
    if (expected && answersWell(caseId)) {
      return { output: `Here is how I will handle this. ${expected}` };
    }
    return { output: BAD_ANSWER };
  }
};
