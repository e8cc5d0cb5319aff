// Sticking to the bottom of the thread while an answer streams, only while the reader is there.

/** Within this many pixels of the bottom counts as "at the bottom". */
export const BOTTOM_SLACK_PX = 48;

export function atBottom(el: { scrollTop: number; scrollHeight: number; clientHeight: number }, slack = BOTTOM_SLACK_PX) {
  return el.scrollHeight - el.scrollTop - el.clientHeight <= slack;
}
