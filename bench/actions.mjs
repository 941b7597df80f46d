// What bench/tasks.mjs and bench/task-profile.mjs do for one step, in the page: `@ACTION` clicks
// `[data-action=ACTION]`, `!CSS` the first element CSS selects, `%PARAM=VALUE` sets
// `[data-param=PARAM]` (a select or an input) and sends its change event, anything else opens
// that view (`a[data-view=…]`). Installed as `window.__act` before the app loads.
export async function installActions(context) {
  await context.addInitScript(() => {
    window.__act = (step) => {
      if (step.startsWith('@')) return document.querySelector(`[data-action="${step.slice(1)}"]`).click();
      if (step.startsWith('!')) return document.querySelector(step.slice(1)).click();
      if (step.startsWith('%')) {
        const [param, value] = step.slice(1).split('=');
        const input = document.querySelector(`[data-param="${param}"]`);
        input.value = value;
        return input.dispatchEvent(new Event('change', { bubbles: true }));
      }
      return document.querySelector(`a[data-view="${step}"]`).click();
    };
  });
}
