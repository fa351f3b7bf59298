// What a page holds while it is shown: live subscriptions, listeners and timers, undone when
// the shell renders another page into main (the shell loads each page with a fresh document,
// so "left" means that the page's own element is no longer in main).
//
//   const page = whileShown(main, root);
//   await page.subscribe('event:' + slug + ':posters', reload, { reload });
//   page.onLeave(() => clearInterval(timer));

let liveModule = null;

/**
 * Says `text` to screen readers through the shell's one small live region (#announce in
 * index.html), e.g. "Delayed: Coffee break". The page itself is not a live region.
 */
export function announce(text) {
  const region = document.getElementById('announce');
  if (!region) return;
  region.textContent = '';
  // a fresh text node in a later task, so that the same words are announced again
  setTimeout(() => { region.textContent = text; }, 50);
}

/** The live connection module (webroot/js/live.js), or null where it is not deployed. */
function loadLive() {
  if (!liveModule) liveModule = import('./live.js').catch(() => null);
  return liveModule;
}

export function whileShown(main, root) {
  const stops = [];
  let left = false;
  const leave = () => {
    left = true;
    stops.splice(0).forEach((stop) => stop());
  };
  new MutationObserver((_, obs) => {
    if (!main.contains(root)) {
      obs.disconnect();
      leave();
    }
  }).observe(main, { childList: true });

  const page = {
    /** False once the page has been left. */
    get shown() { return !left; },

    /** Calls stop when the page is left (at once when it has been left already). */
    onLeave(stop) {
      if (typeof stop !== 'function') return;
      if (left) stop(); else stops.push(stop);
    },

    /**
     * Subscribes to a live topic (see live.js) until the page is left. Answers false when
     * there is no live connection to subscribe with.
     */
    async subscribe(topic, onMessage, options) {
      const live = await loadLive();
      if (!live || typeof live.subscribe !== 'function') return false;
      page.onLeave(live.subscribe(topic, onMessage, options));
      return true;
    },

    /** Listens to the live connection's status ('connecting', 'open', 'closed') until the page is left. */
    async onLiveStatus(listener) {
      const live = await loadLive();
      if (!live || typeof live.live !== 'function') return false;
      page.onLeave(live.live().onStatus(listener));
      return true;
    },
  };
  return page;
}
