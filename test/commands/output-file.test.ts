import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Messages } from '@salesforce/core';
import type { SfError } from '@salesforce/core';
import {
  resolveOutputFile,
  writeFailure,
  writeOutputFile,
} from '../../middleware/src/cli/output-file.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('cosell-stages', 'cosell.output-file');

const dir = mkdtempSync(path.join(tmpdir(), 'cosell-output-file-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function fsError(code: string): NodeJS.ErrnoException {
  return Object.assign(
    new Error(`${code}: failed, open '${dir}/.report.csv.1.tmp'`),
    { code },
  );
}

describe('writeFailure', () => {
  it.each([
    ['EACCES', 'give your user write access to'],
    ['EPERM', 'give your user write access to'],
    ['EROFS', 'is on a read-only one'],
    ['ENOSPC', 'Free some space on the disk that holds'],
  ])('names --output-file for %s', (code, action) => {
    const requested = path.join(dir, 'report.csv');
    const error = writeFailure(fsError(code), requested) as SfError;

    expect(error.message).toBe(
      `The report could not be written to --output-file ${requested} (${code}).`,
    );
    expect(error.message).not.toContain('.tmp');
    expect(error.actions?.[0]).toContain(action);
    expect(error.actions?.[0]).toContain(dir);
  });

  it('passes other errors on unchanged', () => {
    const error = new Error('the report failed');
    expect(writeFailure(error, path.join(dir, 'report.csv'))).toBe(error);
  });
});

describe('resolveOutputFile', () => {
  it('suggests the working folder for a device', () => {
    let error: SfError | undefined;
    try {
      resolveOutputFile('/dev/null', 'cosell-pipeline.csv');
    } catch (caught) {
      error = caught as SfError;
    }

    expect(error?.name).toBe('OutputNotRegularFileError');
    expect(error?.message).toBe(
      messages.getMessage('error.OutputNotRegularFile', [
        '/dev/null',
        messages.getMessage('type.CharacterDevice'),
      ]),
    );
    expect(error?.actions).toEqual(
      messages.getMessages('error.OutputNotRegularFile.actions', [
        path.resolve('cosell-pipeline.csv'),
      ]),
    );
  });
});

describe('writeOutputFile', () => {
  it('keeps the old file when the disk is full', async () => {
    const file = path.join(dir, 'full.csv');
    writeFileSync(file, 'old\n');
    const output = resolveOutputFile(file, 'full.csv');

    const failed = writeOutputFile(output, async (out) => {
      out.write('new\n');
      throw fsError('ENOSPC');
    });

    await expect(failed).rejects.toThrow(
      `The report could not be written to --output-file ${file} (ENOSPC).`,
    );
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    // A temporary file whose open finished after the removal would show up now.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual(
      [],
    );
  });

  // Windows has no mkfifo.
  const withFifo = process.platform === 'win32' ? it.skip : it;

  withFifo('rejects a FIFO made during the write', async () => {
    const file = path.join(dir, 'race.csv');
    const output = resolveOutputFile(file, 'cosell-pipeline.csv');

    // The FIFO appears after the path was checked, so only the check before
    // the rename detects it.
    const failed = writeOutputFile(output, async (out) => {
      execFileSync('mkfifo', [file]);
      out.end('new\n');
    });

    const error = (await failed.catch((caught: unknown) => caught)) as SfError;
    expect(error.name).toBe('OutputNotRegularFileError');
    expect(error.actions).toEqual(
      messages.getMessages('error.OutputNotRegularFile.actions', [
        path.join(dir, 'cosell-pipeline.csv'),
      ]),
    );
    expect(lstatSync(file).isFIFO()).toBe(true);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual(
      [],
    );
  });
});
