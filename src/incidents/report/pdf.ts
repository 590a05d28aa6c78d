// The report as PDF, printed by a headless Chromium (Debian's package at /usr/bin/chromium).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LinderoError } from '../../model/index.js';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export interface PdfOptions {
  chromium?: string;
  /** Longest the browser may take, ms. Default 120 s. */
  timeoutMs?: number;
}

/** Prints the HTML file to a PDF file; a LinderoError says what went wrong (no browser, browser failed). */
export async function renderPdf(htmlFile: string, pdfFile: string, options: PdfOptions = {}): Promise<void> {
  const chromium = options.chromium ?? process.env.LINDERO_CHROMIUM ?? DEFAULT_CHROMIUM;
  if (!existsSync(chromium)) {
    throw new LinderoError('runtime-no-chromium', `${chromium} is not installed: install Debian's chromium package (apt-get install chromium) or set LINDERO_CHROMIUM`, { field: 'pdf' });
  }
  // A profile of its own: a second browser on the same profile would hand the job to the first and exit.
  const profile = mkdtempSync(join(tmpdir(), 'lindero-chromium-'));
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions', `--user-data-dir=${profile}`,
    '--no-pdf-header-footer', `--print-to-pdf=${resolve(pdfFile)}`, pathToFileURL(resolve(htmlFile)).href,
  ];
  try {
    await new Promise<void>((done, fail) => {
      execFile(chromium, args, { timeout: options.timeoutMs ?? 120_000, maxBuffer: 4 * 1024 * 1024 }, (error, _stdout, stderr) => {
        if (error) fail(new LinderoError('runtime-pdf-failed', `chromium could not print ${htmlFile}: ${error.message.split('\n')[0]} ${String(stderr).slice(-400)}`, { file: htmlFile }));
        else done();
      });
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  if (!existsSync(pdfFile) || statSync(pdfFile).size === 0) {
    throw new LinderoError('runtime-pdf-failed', `chromium ran but wrote no PDF to ${pdfFile}`, { file: pdfFile });
  }
}
