/**
 * Runs once in jest's parent process, so what it prints is never swallowed
 * by a worker: the MongoDB contract run says out loud when it is skipped.
 */
module.exports = async function globalSetup() {
  if (!process.env.MONGODB_URI) {
    process.stdout.write('mongo: skipped (MONGODB_URI not set)\n');
  } else {
    process.stdout.write('mongo: contract suite runs against MONGODB_URI\n');
  }
};
