import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { problemMessage } from '../api/problems';
import type { CatalogueEntry } from './catalogue';

/** The license catalogue (证照目录) with each type's field schema; `error` says in Chinese why it could not be read. */
export function useCatalogue(): { readonly entries: readonly CatalogueEntry[] | undefined; readonly error: string | null } {
  const [entries, setEntries] = useState<readonly CatalogueEntry[] | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void api.GET('/api/v1/license-types').then(
      ({ data, error: problem }) => {
        if (!live) return;
        if (data) setEntries(data.items);
        else setError(`证照目录读取失败：${problemMessage(problem)}`);
      },
      () => live && setError(`证照目录读取失败：${problemMessage(undefined)}`),
    );
    return () => {
      live = false;
    };
  }, []);
  return { entries, error };
}
