/**
 * Where a model or checkpoint is saved or loaded: a local path, a `file://` URL (as
 * TensorFlow.js in Node takes), or, for loading only, an `http(s)://` URL. Any other scheme
 * (`localstorage://`, `indexeddb://`, `downloads://`, ...) is refused with a ModelFileError of
 * code E_UNSUPPORTED naming it, before anything is created: a folder named `file:` or
 * `localstorage:` never appears.
 *
 * No Node.js import at module level, so the browser bundle may load it.
 */
import { ModelFileError } from './validate.js';

/** `scheme://...` at the start of a string (RFC 3986 scheme syntax). A Windows path `C:\x` has no `//`. */
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/** The scheme of a location (lower case, without `://`), or null for a plain path. */
/**
 * The URL class's instances where the program's types declare one (the DOM lib or @types/node),
 * else never: so public signatures that take a URL also compile in a project with neither.
 */
export type UrlInstance = typeof globalThis extends { URL: { prototype: infer U } } ? U : never;

export function schemeOf(location: string | UrlInstance): string | null {
  if (location instanceof URL) return location.protocol.replace(/:$/, '').toLowerCase();
  const m = SCHEME.exec(location);
  return m ? m[1]!.toLowerCase() : null;
}

/**
 * Checks that a location names a local folder: a path or a `file://` URL (http(s) too when
 * `allowHttp`). Synchronous and side-effect free, for option checks.
 * @param location the path or URL, as the caller gave it.
 * @param what the function refusing it (`'saveModel'`), for the message.
 * @throws TypeError when location is not a non-empty string or URL.
 * @throws ModelFileError (code E_UNSUPPORTED) naming the scheme when it is not supported.
 */
export function checkLocation(location: unknown, what: string, allowHttp = false): void {
  if (!(location instanceof URL) && (typeof location !== 'string' || location === ''))
    throw new TypeError(`${what}: expected a path or a file:// URL, got ${location === '' ? 'an empty string' : typeof location}`);
  const scheme = schemeOf(location);
  if (scheme === null || scheme === 'file' || (allowHttp && (scheme === 'http' || scheme === 'https'))) return;
  const accepted = allowHttp ? 'a path, a file:// URL or an http(s):// URL' : 'a path or a file:// URL';
  throw new ModelFileError(String(location), `${what} does not support the scheme '${scheme}://' (it takes ${accepted})`, undefined, 'E_UNSUPPORTED');
}

/**
 * The local path of a save location: a path as it is, a `file://` URL decoded (node:url's
 * fileURLToPath: percent-escapes, Windows drive letters).
 * @throws TypeError / ModelFileError as {@link checkLocation} (http(s) is refused here too).
 * @throws ModelFileError (E_UNSUPPORTED) for a file:// URL naming another host.
 */
export async function localPath(location: string | UrlInstance, what: string): Promise<string> {
  checkLocation(location, what);
  if (schemeOf(location) !== 'file') return location as string;
  const { fileURLToPath } = await import('node:url');
  try {
    return fileURLToPath(location);
  } catch (e) {
    throw new ModelFileError(String(location), `${what}: not a local file URL (${(e as Error).message})`, undefined, 'E_UNSUPPORTED');
  }
}
