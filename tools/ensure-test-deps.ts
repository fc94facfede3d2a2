/**
 * Runs before `npm test`. The portal's browser tests need an installed Chromium (never a
 * browser downloaded by a test tool) and this never installs one: on a machine without it
 * those tests are skipped, and this says so once, up front. CI sets FORCEGATE_REQUIRE_BROWSER
 * (after installing Chromium), and there a missing browser fails the run here.
 */
import {
  browserRequired,
  chromiumMissing,
  findChromium,
  REQUIRE_BROWSER_ENV,
} from '../test/helpers/chromium.ts'
import { REQUIRE_SERVICES_ENV, serviceMissing, servicesRequired } from '../test/helpers/store-services.ts'

if (findChromium() === undefined) {
  if (browserRequired()) {
    process.stderr.write(`npm test: ${chromiumMissing()}, and ${REQUIRE_BROWSER_ENV} requires it\n`)
    process.exit(1)
  }
  process.stderr.write(`npm test: ${chromiumMissing()}: the browser tests (test/e2e/portal) are skipped\n`)
}

// The shared-store tests start real redis-server and PostgreSQL processes; likewise skipped
// without them, and required where CI sets FORCEGATE_REQUIRE_SERVICES.
const missingServices = (['redis', 'postgres'] as const).map(serviceMissing).filter((m) => m !== undefined)
if (missingServices.length > 0) {
  if (servicesRequired()) {
    process.stderr.write(`npm test: ${missingServices.join('; ')}, and ${REQUIRE_SERVICES_ENV} requires it\n`)
    process.exit(1)
  }
  process.stderr.write(`npm test: ${missingServices.join('; ')}: the tests needing it are skipped\n`)
}
