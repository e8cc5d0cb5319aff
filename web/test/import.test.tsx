import { describe, expect, it } from "vitest";
import { skippedText } from "../src/components/ImportPanel";

describe("what an import left out, in words", () => {
  it("names every kind counted, one and many, and nothing when nothing was left out", () => {
    expect(
      skippedText({
        system_messages: 2,
        tool_messages: 1,
        other_role_messages: 0,
        non_text_messages: 2,
        non_text_parts: 1,
        empty_messages: 0,
        empty_conversations: 1,
      }),
    ).toBe(
      "2 system messages, 1 tool message (code runs, browsing), 2 messages that are not text (code, hidden context), " +
        "1 image or file sent in a message, 1 conversation with nothing left",
    );
    expect(skippedText({ system_messages: 0 })).toBe("");
    // A kind a newer engine counts is still said, not dropped.
    expect(skippedText({ audio_parts: 3 })).toBe("3 audio parts");
  });
});
