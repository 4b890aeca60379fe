/**
 * A multipart/form-data body read with the platform's own parser (undici's
 * `Request.formData()`), which refuses a malformed or truncated body as a whole rather than
 * emitting a partial form. Undefined when the body cannot be read.
 */
export async function parseFormData(body: Buffer, contentType: string): Promise<FormData | undefined> {
  try {
    return await new Request('http://form.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    }).formData();
  } catch {
    return undefined;
  }
}
