package arichat

import kotlin.test.Test
import kotlin.test.assertEquals
import uniffi.arichat.normalizePhone
import uniffi.arichat.phoneFromWaId

/** Tests of `normalizePhone`, `phoneFromWaId` (bindings/mobile/src/lib.rs). */
class PhoneTest {
    @Test
    fun normalizesPhones() {
        assertEquals("+573001234567", normalizePhone("300 123 4567", "CO"))
        assertEquals("+573001234567", normalizePhone("(300) 123-4567", "co"))
        assertEquals("+573001234567", normalizePhone("+57 300 123 4567"))
        assertEquals("+5215512345678", phoneFromWaId("5215512345678"))
    }
}
