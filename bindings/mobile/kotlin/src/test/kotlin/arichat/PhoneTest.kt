package arichat

import java.io.File
import org.json.JSONObject
import kotlin.test.Test
import kotlin.test.assertEquals
import io.github.arichat.normalizePhone
import io.github.arichat.phoneFromWaId
import io.github.arichat.core.ErrorCode

/** Tests of `normalizePhone`, `phoneFromWaId` (bindings/mobile/src/lib.rs) on the shared vectors. */
class PhoneTest {
    private val vectors = JSONObject(
        File(System.getProperty("arichat.cargo.toml") ?: error("arichat.cargo.toml not set"))
            .resolveSibling("tests/vectors/phones.json")
            .readText(),
    )

    /** Each case of the `key` list: its object and its region (null: none given). */
    private fun cases(key: String, check: (JSONObject, String?) -> Unit) {
        val list = vectors.getJSONArray(key)
        for (i in 0 until list.length()) {
            val c = list.getJSONObject(i)
            check(c, if (c.isNull("region")) null else c.getString("region"))
        }
    }

    @Test
    fun normalizesPhones() {
        cases("ok") { c, region ->
            assertEquals(c.getString("e164"), normalizePhone(c.getString("input"), region), c.toString())
        }
        // A region code is read case-insensitively.
        assertEquals("+573001234567", normalizePhone("(300) 123-4567", "co"))
    }

    @Test
    fun readsWhatsappIds() {
        val waIds = vectors.getJSONArray("wa_id")
        for (i in 0 until waIds.length()) {
            val c = waIds.getJSONObject(i)
            assertEquals(c.getString("e164"), phoneFromWaId(c.getString("input")), c.toString())
        }
        val invalid = vectors.getJSONArray("invalid_wa_id")
        for (i in 0 until invalid.length()) {
            coreError(ErrorCode.INVALID_PHONE) { phoneFromWaId(invalid.getString(i)) }
        }
    }

    @Test
    fun refusesInvalidPhones() {
        cases("invalid_phone") { c, region ->
            coreError(ErrorCode.INVALID_PHONE) { normalizePhone(c.getString("input"), region) }
        }
    }
}
