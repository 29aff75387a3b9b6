/** A 1-based line and column. */
export interface LineColumn {
  line: number;
  column: number;
}

/**
 * The place in its file of a text value read from that file, so that a position
 * in the text, such as that of a formula error, can be given as a position in
 * the file. Escapes such as `&gt;` make the text shorter than the file's characters,
 * so the text is cut into runs whose characters stand one after another on one
 * line of the file.
 */
export interface TextInFile {
  /** The text the runs describe; a text changed since no longer matches them. */
  text: string;
  /** The start of each run: [offset in the text, file line, file column], in order. */
  runs: Array<[number, number, number]>;
}

/**
 * Returns the file position of a position in `text`, or undefined when `map` was
 * made for another text or the position is not in it. Lines of the text end at
 * LF, CRLF or CR, as the formula lexer counts them.
 */
export function filePositionOf(
  map: TextInFile,
  text: string,
  position: LineColumn,
): LineColumn | undefined {
  if (map.text !== text) return undefined;
  const offset = offsetOf(text, position);
  if (offset === undefined) return undefined;
  let run: [number, number, number] | undefined;
  for (const candidate of map.runs) {
    if (candidate[0] > offset) break;
    run = candidate;
  }
  if (!run) return undefined;
  const [start, line, column] = run;
  return { line, column: column + offset - start };
}

/** Returns the offset in `text` of a 1-based line and column, if it is in the text. */
function offsetOf(text: string, { line, column }: LineColumn) {
  const lineBreak = /\r\n?|\n/g;
  let offset = 0;
  for (let current = 1; current < line; current++) {
    lineBreak.lastIndex = offset;
    const match = lineBreak.exec(text);
    if (!match) return undefined;
    offset = match.index + match[0].length;
  }
  const target = offset + column - 1;
  return column >= 1 && target <= text.length ? target : undefined;
}
