// Images kiln puts into Docker (buildImage with tags, `kiln build --load`) go to DOCKER_HOST when the build runs on a
// standalone buildkitd (BUILDKIT_HOST): point it at the environment's dockerd, where the tests inspect and run them,
// as a user would point it at theirs.
import { testEnv } from './test-env.js';

process.env['DOCKER_HOST'] = testEnv().dockerHost;
