// Only reads the File's bytes, the way the ValueLens import worker does: FileReaderSync over
// 4 MiB slices. No copy, no decoding: the floor under any import that reads the file this way.
self.onmessage = (event) => {
  const { file, chunk } = event.data;
  if (!file) {
    self.postMessage({ ready: true });
    return;
  }
  try {
    const reader = new FileReaderSync();
    let bytes = 0;
    let checksum = 0;
    for (let start = 0; start < file.size; start += chunk) {
      const end = Math.min(start + chunk, file.size);
      const view = new Uint8Array(reader.readAsArrayBuffer(file.slice(start, end)));
      bytes += view.length;
      checksum = (checksum + view[view.length - 1]) | 0;
    }
    self.postMessage({ bytes, checksum });
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
