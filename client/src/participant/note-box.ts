/**
 * Notes are typed in a box that shows several lines, but a note is one paragraph (the server
 * refuses line breaks as control characters): Enter sends, as the phone keyboard's send key
 * says, and a pasted line break becomes a space.
 */
export function sendOnEnter(e: KeyboardEvent): void {
  if (e.key !== 'Enter' || e.isComposing) return;
  e.preventDefault();
  (e.currentTarget as HTMLTextAreaElement).form?.requestSubmit();
}

export const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, ' ');
