import type { IncomingMessage } from 'node:http';
import { fileTypeFromBuffer } from 'file-type';
import { parseFormData } from '../../shared/http/form-data.ts';
import { invalid } from './answer.ts';

/** A file part of a parsed form (undici's File, which @types/node keeps apart from buffer's). */
export type Upload = Exclude<ReturnType<FormData['get']>, string | null>;

/** The multipart/form-data body of a request, or a 400 as the real API gives. */
export async function readForm(req: IncomingMessage, body: Buffer): Promise<FormData> {
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) {
    throw invalid(`Invalid Content-Type header (${contentType || 'none'}), expected multipart/form-data.`);
  }
  const form = await parseFormData(body, contentType);
  if (!form) throw invalid('Could not parse multipart form data.');
  return form;
}

/** A text field of the form; undefined when absent or a file. */
export function textField(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === 'string' ? value : undefined;
}

/** Checks the bytes, not the declared type, as the real API does. */
export async function checkedUpload(
  file: Upload,
  param: string,
  allowed: ReadonlySet<string>,
): Promise<Buffer> {
  const bytes = Buffer.from(await file.arrayBuffer());
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected || !allowed.has(detected.mime)) {
    const supported = [...allowed].map((type) => `'${type}'`).join(', ');
    throw invalid(
      `Invalid file '${param}': unsupported mimetype ('${detected?.mime ?? (file.type || 'application/octet-stream')}'). Supported file formats are ${supported}.`,
      param,
      'unsupported_file_mimetype',
    );
  }
  return bytes;
}
