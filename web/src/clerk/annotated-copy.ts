import { api } from '../api/client';
import type { License, UseOfLicenses } from './dossier-types';
import { clerkProblem, type ClerkProblem } from './problem-of';

/** An annotated copy (加注件) the vault made for this window: the file and the name to save it under. */
export interface MadeCopy {
  readonly url: string;
  readonly fileName: string;
}

/** Asks the vault for an annotated copy of `license` for this service item and purpose; the failure said in the clerk's words. */
export async function makeCopy(license: License, use: UseOfLicenses): Promise<{ readonly copy: MadeCopy } | { readonly problem: ClerkProblem }> {
  try {
    const { data, error, response } = await api.POST('/api/v1/licenses/{identifier}/copies', {
      params: { path: { identifier: license.identifier } },
      body: { serviceItem: use.serviceItem, purpose: use.purpose },
      parseAs: 'blob',
    });
    if (!data) return { problem: clerkProblem(error, response) };
    const copyId = response.headers.get('X-Copy-Id') ?? license.licenseNumber;
    const blob = data.type === 'application/pdf' ? data : new Blob([data], { type: 'application/pdf' });
    return { copy: { url: URL.createObjectURL(blob), fileName: `加注件-${license.licenseType.name ?? license.licenseType.code}-${copyId}.pdf` } };
  } catch {
    return { problem: clerkProblem(undefined) };
  }
}

/** Saves the copy under its name, as a download. */
export function saveCopy(copy: MadeCopy): void {
  const link = document.createElement('a');
  link.href = copy.url;
  link.download = copy.fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
}
