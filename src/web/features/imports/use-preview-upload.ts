import { useMutation } from '@tanstack/react-query';
import { importUploadSchema, type ColumnMapping, type CsvSettings } from '../../../shared/imports.ts';
import { apiRequest } from '../../app/api-client.ts';
import { uploadPath } from './imports-api.ts';

/** Reads an uploaded file again with other read settings and/or validates its first rows under a mapping. */
export function usePreviewUpload(accountId: string, uploadId: string) {
  return useMutation({
    mutationFn: (body: { settings?: CsvSettings; columns?: ColumnMapping[] }) =>
      apiRequest('POST', `${uploadPath(accountId, uploadId)}/preview`, { body, schema: importUploadSchema }),
  });
}
