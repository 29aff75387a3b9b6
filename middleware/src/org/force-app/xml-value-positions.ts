import type { TextInFile } from '../../domain/text-in-file.js';
import { decodeReferenceAt, skipUnparsed } from './xml-references.js';

/** The span of one `<values>` entry's `<value>` text in a `CustomMetadata` file. */
interface ValueSpan {
  field: string;
  /** Offsets of the value's content in the file text, from after `<value>` to `</value>`. */
  start: number;
  end: number;
}

/**
 * Finds where the value of `field` sits in the text of a `CustomMetadata` file and
 * returns the map from positions in `value`, the value as read, to positions in the
 * file. The text of the value is decoded as the XML reader does: the five XML
 * entities, character references, CDATA sections, comments dropped, line ends as
 * LF and the ends trimmed.
 * Returns undefined when the field has no value or the decoded text is not `value`.
 */
export function valueInFile(
  fileText: string,
  field: string,
  value: string,
): TextInFile | undefined {
  const span = findValueSpans(fileText).find((s) => s.field === field);
  if (!span) return undefined;
  const decoded = decode(fileText, span.start, span.end);
  const first = decoded.text.length - decoded.text.trimStart().length;
  const text = decoded.text.trim();
  if (text !== value) return undefined;
  const lineStarts = lineStartsOf(fileText);
  const runs: TextInFile['runs'] = [];
  let previous: [number, number] | undefined;
  for (let index = 0; index < text.length; index++) {
    const [line, column] = lineColumn(
      lineStarts,
      decoded.offsets[first + index]!,
    );
    if (!previous || previous[0] !== line || previous[1] + 1 !== column) {
      runs.push([index, line, column]);
    }
    previous = [line, column];
  }
  return { text, runs };
}

/** Lists the `<values>` entries of the root element with their `<value>` spans. */
function findValueSpans(text: string): ValueSpan[] {
  const spans: ValueSpan[] = [];
  const stack: string[] = [];
  let entry: { field?: string; start?: number; end?: number } | undefined;
  let fieldStart = -1;
  let valueStart = -1;
  let at = 0;
  while ((at = text.indexOf('<', at)) !== -1) {
    const skipped = skipUnparsed(text, at);
    if (skipped !== undefined) {
      at = skipped;
      continue;
    }
    const tag = readTag(text, at);
    if (!tag) break;
    if (tag.closing) {
      stack.pop();
      if (stack.length === 2 && tag.name === 'field' && fieldStart >= 0) {
        entry!.field = decode(text, fieldStart, at).text.trim();
        fieldStart = -1;
      } else if (
        stack.length === 2 &&
        tag.name === 'value' &&
        valueStart >= 0
      ) {
        entry!.start = valueStart;
        entry!.end = at;
        valueStart = -1;
      } else if (stack.length === 1 && tag.name === 'values' && entry) {
        const { field, start, end } = entry;
        if (field !== undefined && start !== undefined && end !== undefined) {
          spans.push({ field, start, end });
        }
        entry = undefined;
      }
    } else if (!tag.selfClosing) {
      stack.push(tag.name);
      if (stack.length === 2 && tag.name === 'values') entry = {};
      else if (stack.length === 3 && entry && tag.name === 'field') {
        fieldStart = tag.end;
      } else if (stack.length === 3 && entry && tag.name === 'value') {
        valueStart = tag.end;
      }
    }
    at = tag.end;
  }
  return spans;
}

/** Reads the tag at `at`, skipping quoted attribute values; `end` is the offset after `>`. */
function readTag(text: string, at: number) {
  const match = /^<(\/?)([^\s/>]+)/.exec(text.slice(at, at + 200));
  if (!match) return undefined;
  let index = at + match[0].length;
  while (index < text.length && text[index] !== '>') {
    const quote = text[index];
    if (quote === '"' || quote === "'") {
      const close = text.indexOf(quote, index + 1);
      index = close === -1 ? text.length : close;
    }
    index++;
  }
  return {
    name: match[2]!,
    closing: match[1] === '/',
    selfClosing: text[index - 1] === '/',
    end: index + 1,
  };
}

/** Decodes element content, keeping for each character its offset in the file. */
function decode(fileText: string, start: number, end: number) {
  let text = '';
  const offsets: number[] = [];
  const push = (characters: string, offset: number) => {
    text += characters;
    for (let k = 0; k < characters.length; k++) offsets.push(offset);
  };
  let at = start;
  while (at < end) {
    if (fileText.startsWith('<!--', at)) {
      const close = fileText.indexOf('-->', at);
      at = close === -1 ? end : close + 3;
      continue;
    }
    if (fileText.startsWith('<![CDATA[', at)) {
      const close = fileText.indexOf(']]>', at);
      const stop = close === -1 ? end : close;
      at += '<![CDATA['.length;
      while (at < stop) at = nextCharacter(fileText, at, push);
      at = stop + ']]>'.length;
      continue;
    }
    if (fileText[at] === '&') {
      const reference = decodeReferenceAt(fileText, at);
      push(reference.text, at);
      at = reference.end;
      continue;
    }
    at = nextCharacter(fileText, at, push);
  }
  return { text, offsets };
}

/** Pushes the character at `at`, with CRLF and CR read as LF, and returns the next offset. */
function nextCharacter(
  text: string,
  at: number,
  push: (characters: string, offset: number) => void,
): number {
  if (text[at] === '\r') {
    push('\n', at);
    return text[at + 1] === '\n' ? at + 2 : at + 1;
  }
  push(text[at]!, at);
  return at + 1;
}

/** Offsets at which the file's lines start; a line ends at LF, CRLF or CR. */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  const lineBreak = /\r\n?|\n/g;
  for (let match; (match = lineBreak.exec(text)); ) {
    starts.push(match.index + match[0].length);
  }
  return starts;
}

/** Returns the 1-based line and column of a file offset. */
function lineColumn(lineStarts: number[], offset: number): [number, number] {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (lineStarts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return [low + 1, offset - lineStarts[low]! + 1];
}
