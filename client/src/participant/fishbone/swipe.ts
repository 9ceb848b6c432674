/**
 * A horizontal swipe on a touch screen (or a mouse drag): `onswipe(-1)` for a swipe to the
 * right (the previous item), `onswipe(1)` for a swipe to the left (the next). Vertical moves are
 * left to the browser for scrolling; a swipe that starts in a text field is typing, not paging.
 */
export function swipe(node: HTMLElement, onswipe: (step: -1 | 1) => void) {
  let start: { x: number; y: number; t: number; id: number } | null = null;
  const down = (e: PointerEvent) => {
    const el = e.target as HTMLElement;
    start = el.closest('input, textarea, select') ? null : { x: e.clientX, y: e.clientY, t: e.timeStamp, id: e.pointerId };
  };
  const up = (e: PointerEvent) => {
    if (!start || e.pointerId !== start.id) return;
    const dx = e.clientX - start.x;
    const dy = e.clientY - start.y;
    const quick = e.timeStamp - start.t < 1000;
    start = null;
    if (quick && Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) onswipe(dx < 0 ? 1 : -1);
  };
  const cancel = () => (start = null);
  node.addEventListener('pointerdown', down);
  node.addEventListener('pointerup', up);
  node.addEventListener('pointercancel', cancel);
  return {
    update(next: (step: -1 | 1) => void) {
      onswipe = next;
    },
    destroy() {
      node.removeEventListener('pointerdown', down);
      node.removeEventListener('pointerup', up);
      node.removeEventListener('pointercancel', cancel);
    },
  };
}
