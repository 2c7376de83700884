import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { importUploadSchema, type CsvSettings } from '../../../shared/imports.ts';
import { apiUpload } from '../../app/api-client.ts';
import { importsApiPath } from './imports-api.ts';

/**
 * Uploads a file for import. The server answers with what it detected (encoding, delimiter), the
 * header, the first rows and a suggested mapping. `progress` is the share sent so far (0–1).
 */
export function useUploadFile(accountId: string) {
  const [progress, setProgress] = useState(0);
  const mutation = useMutation({
    mutationFn: ({ file, csv }: { file: File; csv?: Partial<CsvSettings> }) => {
      setProgress(0);
      const query = new URLSearchParams();
      if (csv?.encoding) query.set('encoding', csv.encoding);
      if (csv?.delimiter) query.set('delimiter', csv.delimiter);
      const search = query.size > 0 ? `?${query.toString()}` : '';
      return apiUpload(`${importsApiPath(accountId)}/uploads${search}`, file, {
        schema: importUploadSchema,
        onProgress: setProgress,
      });
    },
  });
  return { ...mutation, progress };
}
