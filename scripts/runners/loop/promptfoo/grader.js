// Deterministic llm-rubric grader for the loop (set as defaultTest.options.provider).
// promptfoo sends it the standard rubric-grading chat; the rendered output and rubric also
// arrive as context.vars.output / context.vars.rubric. It answers the JSON that promptfoo
// expects from a grading model: {"pass", "score", "reason"}. The verdict is word overlap:
// the output passes when it contains at least half of the rubric's content words.
function words(text) {
  return new Set((String(text).toLowerCase().match(/[a-z0-9$][a-z0-9$'-]{3,}/g) || []));
}

function between(text, open, close) {
  const i = text.indexOf(open);
  const j = text.indexOf(close, i + open.length);
  return i >= 0 && j > i ? text.slice(i + open.length, j) : '';
}

module.exports = class OverlapGrader {
  id() {
    return 'loop-overlap-grader';
  }

  async callApi(prompt, context) {
    const vars = (context && context.vars) || {};
    const output = vars.output !== undefined ? String(vars.output) : between(prompt, '<Output>', '</Output>');
    const rubric = vars.rubric !== undefined ? String(vars.rubric) : between(prompt, '<Rubric>', '</Rubric>');
    const want = [...words(rubric)];
    const have = words(output);
    const hits = want.filter((w) => have.has(w)).length;
    const score = want.length ? hits / want.length : 1;
    const pass = score >= 0.5;
    const reason = `${hits} of ${want.length} rubric words appear in the output (${pass ? 'meets' : 'below'} the 50% bar)`;
    return { output: JSON.stringify({ pass, score: Number(score.toFixed(3)), reason }) };
  }
};
