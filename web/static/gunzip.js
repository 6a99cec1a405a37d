// Reading a file the site stores gzipped (web/precompress.py), shared by the page (loader.js), worker.js and sw.js,
// which load it as a classic script. Most hosts send a `.gz` file as it is; one told that `.gz` means gzip encoding
// sends it with "Content-Encoding: gzip", and the browser has inflated it before the page reads it. Gzip's magic
// number in the first two bytes says which, so the body is inflated only when it is still gzipped.
function inflatedBody(body) {
  const reader = body.getReader();
  let source; // the body's own bytes, or the body inflated, from the first chunk on
  return new ReadableStream({
    async start() {
      const first = await reader.read();
      const gzipped = !first.done && first.value[0] === 0x1f && first.value[1] === 0x8b;
      const whole = new ReadableStream({
        start: (controller) => (first.done ? controller.close() : controller.enqueue(first.value)),
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        cancel: (reason) => reader.cancel(reason),
      });
      source = (gzipped ? whole.pipeThrough(new DecompressionStream("gzip")) : whole).getReader();
    },
    async pull(controller) {
      const { done, value } = await source.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => source.cancel(reason),
  });
}
