package arichat

import java.time.Instant
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import io.github.arichat.ArichatException
import io.github.arichat.code
import io.github.arichat.Lead
import io.github.arichat.normalizePhone
import io.github.arichat.parseChannel
import io.github.arichat.parseLeadStatus
import io.github.arichat.phoneFromWaId
import io.github.arichat.core.ChangeCause
import io.github.arichat.core.Channel
import io.github.arichat.core.ErrorCode
import io.github.arichat.core.LeadStatus

/** Tests of `ArichatException` (bindings/mobile/src/error.rs): codes, messages, hostile input. */
class ErrorTest {
    @Test
    fun badInputRaisesTypedErrors() {
        val phone = coreError(ErrorCode.INVALID_PHONE) { normalizePhone("12", "CO") }
        assertTrue(phone.msg.startsWith("invalid phone number: "), phone.msg)

        val region = coreError(ErrorCode.UNKNOWN_REGION) { normalizePhone("300 123 4567", "ZZ") }
        assertEquals(
            "unknown region \"ZZ\": expected an ISO 3166-1 alpha-2 code such as \"CO\"",
            region.msg,
        )

        val json = coreError(ErrorCode.INVALID_JSON) { Lead.fromJson("{not json") }
        assertTrue(json.msg.startsWith("invalid lead JSON: "), json.msg)

        coreError(ErrorCode.INVALID_PHONE) { phoneFromWaId("52155abc") }
        coreError(ErrorCode.INVALID_PHONE) { normalizePhone("3001234567") }
        val variant = coreError(ErrorCode.UNKNOWN_VARIANT) { parseLeadStatus("open") }
        assertEquals(
            "unknown lead status \"open\"; expected one of: unattended, interested, negotiating, won, lost",
            variant.msg,
        )
        coreError(ErrorCode.UNKNOWN_VARIANT) { parseChannel("sms") }
        assertEquals(Channel.TELEGRAM, parseChannel("telegram"))
    }

    @Test
    fun hostileInputNeverCrashes() {
        // Every failure is an ArichatException (never a JVM crash or an untyped InternalException).
        val inputs = listOf("", " ", "\u0000", "+", "00", "🙂".repeat(100), "9".repeat(10_000), "{}", "[]", "null")
        for (s in inputs) {
            runCatching { normalizePhone(s, "CO") }.exceptionOrNull()?.let { assertTrue(it is ArichatException, "$s: $it") }
            runCatching { normalizePhone("300 123 4567", s) }.exceptionOrNull()?.let { assertTrue(it is ArichatException, "$s: $it") }
            runCatching { phoneFromWaId(s) }.exceptionOrNull()?.let { assertTrue(it is ArichatException, "$s: $it") }
            coreError(ErrorCode.INVALID_JSON) { Lead.fromJson(s) }
        }
        coreError(ErrorCode.TIME_OUT_OF_RANGE) { Lead("l", "t", "c", Channel.WHATSAPP, Instant.MAX) }
        coreError(ErrorCode.TIME_OUT_OF_RANGE) {
            newLead().setStatus(LeadStatus.WON, ChangeCause.AGENT, "", Instant.MIN)
        }
    }

    @Test
    fun errorCodeIsTheStableCode() {
        val thrown = assertFailsWith<ArichatException.Core> { normalizePhone("12", "CO") }
        // The Kotlin enum is the core's snake_case code in SCREAMING_CASE.
        assertEquals("invalid_phone", thrown.code.name.lowercase())
        assertTrue(thrown.message!!.contains(thrown.msg), thrown.message)
    }

    @Test
    fun everyExceptionHasACode() {
        // `code` reads on the sealed base type: no cast to a case first.
        val caught: ArichatException = assertFailsWith<ArichatException> { normalizePhone("12", "CO") }
        assertEquals(ErrorCode.INVALID_PHONE, caught.code)
        val store: ArichatException = ArichatException.Store(ErrorCode.STORE_UNAVAILABLE, "disk")
        assertEquals(ErrorCode.STORE_UNAVAILABLE, store.code)
    }
}
