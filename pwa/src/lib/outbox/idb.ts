// A tiny IndexedDB key-value store for the outbox: one database, one object store, keyed by the message's
// client-generated id. Small enough not to need a library (idb-keyval would be the next step up).

const DB_NAME = 'clubchat-outbox';
const STORE = 'messages';

let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'key' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('Could not open the outbox on this device'));
  });
  // A failed open (private mode, storage blocked) is tried again next time rather than remembered.
  opening.catch(() => {
    opening = null;
  });
  return opening;
}

function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const req = work(tx.objectStore(STORE));
        // Resolve once the transaction is committed, so a reload right after cannot lose the write.
        tx.oncomplete = () => resolve(req.result);
        tx.onerror = () => reject(tx.error ?? new Error('Could not save on this device'));
        tx.onabort = () => reject(tx.error ?? new Error('Could not save on this device'));
      }),
  );
}

export const idbAll = <T>(): Promise<T[]> => run('readonly', (s) => s.getAll() as IDBRequest<T[]>);
export const idbPut = <T>(value: T): Promise<unknown> => run('readwrite', (s) => s.put(value));
export const idbDelete = (key: string): Promise<unknown> => run('readwrite', (s) => s.delete(key));

/** Tests start from an empty outbox. */
export async function idbClear(): Promise<void> {
  await run('readwrite', (s) => s.clear());
}
