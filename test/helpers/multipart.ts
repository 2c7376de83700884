import { randomBytes } from 'node:crypto';

/** A multipart/form-data body with one file field, as browsers send an upload (RFC 7578). */
export function multipartFile(
  content: Buffer,
  fileName: string,
  field = 'file',
): { body: Buffer; headers: Record<string, string> } {
  const boundary = `----herald${randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\n` +
        'Content-Type: text/csv\r\n\r\n',
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
