// Loaded with `node --import ./polyfill.mjs ...` before any other module.
//
// aws-local-stepfunctions 3.0.0 targets Node >= 22 and calls
// Promise.withResolvers() (ES2024) inside its Task state implementation.
// Node 20 does not have it, so we define it here when missing. The shape is
// exactly the one from the spec: { promise, resolve, reject }.
if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function withResolvers() {
      let resolve;
      let reject;
      // `this` lets subclasses (new MyPromise) work like the native method.
      const Ctor = typeof this === 'function' ? this : Promise;
      const promise = new Ctor((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
