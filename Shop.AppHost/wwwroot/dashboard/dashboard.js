// Keeps a scrolling element pinned to its bottom while new children arrive, unless the user scrolled up to read.
export function followTail(element) {
    if (!element || element.dataset.followTail) {
        return;
    }
    element.dataset.followTail = "1";
    let pinned = true;
    const atBottom = () => element.scrollHeight - element.scrollTop - element.clientHeight < 24;
    element.addEventListener("scroll", () => { pinned = atBottom(); }, { passive: true });
    const stick = () => { if (pinned) { element.scrollTop = element.scrollHeight; } };
    new MutationObserver(stick).observe(element, { childList: true, subtree: true, characterData: true });
    stick();
}
