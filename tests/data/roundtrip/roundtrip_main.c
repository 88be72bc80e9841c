/*
 * The C round trip for migc (migc/tests/roundtrip.rs): the user stubs generated from
 * tests/data/ok/roundtrip.defs call `mach_msg`, which this file replaces with a test transport that
 * delivers the request to the generated `roundtrip_server` demux in the same process, the way the kernel
 * would (ports and dispositions swapped for the receiver, a trailer appended), and hands the reply back
 * to the stub's checks. The server routines below answer; main() checks what comes back.
 */
#include "roundtrip.h"
#include "roundtripServer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

NDR_record_t NDR_record = { 0, 0, 0, 0, 1, 0, 0, 0 };

#define SERVER_PORT 0x100
#define REPLY_PORT 0x1234

static int failures;
static int checks;
static int destroyed;
static int notified_code;
static int corrupt_request_size;
static int corrupt_reply_id;

#define CHECK(cond) do { checks++; if (!(cond)) { failures++; fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)

static union {
	mach_msg_header_t head;
	char bytes[16384];
} request_buffer, reply_buffer;

/* What the receiver sees for a disposition the sender used. */
static mach_msg_type_name_t received(mach_msg_type_name_t d)
{
	switch (d) {
	case MACH_MSG_TYPE_COPY_SEND:
	case MACH_MSG_TYPE_MAKE_SEND:
		return MACH_MSG_TYPE_MOVE_SEND;
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		return MACH_MSG_TYPE_MOVE_SEND_ONCE;
	default:
		return d;
	}
}

/* Delivers a message: swaps the header's ports as the kernel does and translates the dispositions of
 * the header and of every port descriptor. The descriptor type sits in byte 11 of every descriptor. */
static void deliver(mach_msg_header_t *m, mach_msg_size_t size)
{
	mach_port_t remote = m->msgh_remote_port;
	mach_msg_bits_t bits = m->msgh_bits;
	m->msgh_size = size;
	m->msgh_remote_port = m->msgh_local_port;
	m->msgh_local_port = remote;
	m->msgh_bits = (bits & MACH_MSGH_BITS_COMPLEX) |
		MACH_MSGH_BITS(received(MACH_MSGH_BITS_LOCAL(bits)), received(MACH_MSGH_BITS_REMOTE(bits)));
	if (bits & MACH_MSGH_BITS_COMPLEX) {
		mach_msg_body_t *body = (mach_msg_body_t *)(m + 1);
		char *p = (char *)(body + 1);
		mach_msg_size_t i;
		for (i = 0; i < body->msgh_descriptor_count; i++) {
			unsigned char type = (unsigned char)p[11];
			if (type == MACH_MSG_PORT_DESCRIPTOR) {
				mach_msg_port_descriptor_t *d = (mach_msg_port_descriptor_t *)p;
				d->disposition = received(d->disposition);
				p += sizeof(*d);
			} else if (type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
				mach_msg_ool_ports_descriptor_t *d = (mach_msg_ool_ports_descriptor_t *)p;
				d->disposition = received(d->disposition);
				p += sizeof(*d);
			} else {
				p += sizeof(mach_msg_ool_descriptor_t);
			}
		}
	}
	/* The kernel's trailer, with a sender's security token and a sequence number. */
	{
		mach_msg_max_trailer_t *t = (mach_msg_max_trailer_t *)((char *)m + ((size + 3) & ~3u));
		memset(t, 0, sizeof(*t));
		t->msgh_trailer_type = 0;
		t->msgh_trailer_size = sizeof(mach_msg_security_trailer_t);
		t->msgh_seqno = 17;
		t->msgh_sender.val[0] = 501;
		t->msgh_sender.val[1] = 20;
	}
}

mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option, mach_msg_size_t send_size,
	mach_msg_size_t rcv_size, mach_port_name_t rcv_name, mach_msg_timeout_t timeout, mach_port_name_t notify)
{
	mach_msg_header_t *in = &request_buffer.head;
	mach_msg_header_t *out = &reply_buffer.head;
	(void)timeout;
	(void)notify;
	if (!(option & MACH_SEND_MSG) || send_size > sizeof(request_buffer) - sizeof(mach_msg_max_trailer_t))
		return MACH_SEND_INVALID_HEADER;
	if (msg->msgh_remote_port != SERVER_PORT)
		return MACH_SEND_INVALID_DEST;
	memset(&request_buffer, 0, sizeof(request_buffer));
	memcpy(in, msg, send_size);
	if (corrupt_request_size) {
		corrupt_request_size = 0;
		send_size -= 4;
	}
	deliver(in, send_size);
	memset(&reply_buffer, 0, sizeof(reply_buffer));
	if (!roundtrip_server(in, out) && ((mig_reply_error_t *)out)->RetCode != MIG_BAD_ID)
		return MACH_SEND_INVALID_DEST;
	if (!(option & MACH_RCV_MSG))
		return MACH_MSG_SUCCESS;
	if (rcv_name != REPLY_PORT || out->msgh_remote_port != REPLY_PORT)
		return MACH_SEND_INVALID_HEADER;
	if (out->msgh_size + sizeof(mach_msg_max_trailer_t) > sizeof(reply_buffer))
		return MACH_SEND_INVALID_DATA;
	if (out->msgh_size + sizeof(mach_msg_trailer_t) > rcv_size)
		return MACH_SEND_INVALID_DATA;
	if (corrupt_reply_id) {
		corrupt_reply_id = 0;
		out->msgh_id += 1;
	}
	{
		/* Deliver in a scratch buffer (the full trailer is larger than the one the stub reserves), then
		 * hand the stub the message and the basic trailer. */
		static union { mach_msg_header_t head; char bytes[16384 + sizeof(mach_msg_max_trailer_t)]; } scratch;
		mach_msg_size_t size = out->msgh_size;
		memcpy(&scratch, out, size);
		deliver(&scratch.head, size);
		memcpy(msg, &scratch, ((size + 3) & ~3u) + sizeof(mach_msg_trailer_t));
	}
	return MACH_MSG_SUCCESS;
}

void mach_msg_destroy(mach_msg_header_t *msg)
{
	(void)msg;
	destroyed++;
}

mach_port_t mig_get_reply_port(void) { return REPLY_PORT; }
mach_port_t mig_get_special_reply_port(void) { return REPLY_PORT; }
void mig_dealloc_reply_port(mach_port_t reply_port) { (void)reply_port; }
void mig_put_reply_port(mach_port_t reply_port) { (void)reply_port; }

int mig_strncpy(char *dest, const char *src, int len)
{
	int i;
	if (len <= 0)
		return 0;
	for (i = 0; i < len - 1 && src[i] != '\0'; i++)
		dest[i] = src[i];
	dest[i] = '\0';
	return i + 1;
}

/* ---- the server side ---- */

kern_return_t do_rt_add(mach_port_t server, int a, uint64_t b, uint64_t *sum)
{
	if (server != SERVER_PORT)
		return KERN_INVALID_ARGUMENT;
	*sum = (uint64_t)a + b;
	return KERN_SUCCESS;
}

kern_return_t do_rt_info(mach_port_t server, int flavor, info_t info, mach_msg_type_number_t *infoCnt)
{
	mach_msg_type_number_t i;
	(void)server;
	/* flavor 99 ignores the caller's capacity, to exercise MIG_ARRAY_TOO_LARGE. */
	mach_msg_type_number_t n = flavor == 99 ? 5 : (mach_msg_type_number_t)flavor;
	if (flavor != 99 && n > *infoCnt)
		return KERN_INVALID_ARGUMENT;
	for (i = 0; i < n; i++)
		info[i] = (integer_t)(i * 10 + 1);
	*infoCnt = n;
	return KERN_SUCCESS;
}

kern_return_t do_rt_strings(mach_port_t server, name_t name, small_t tag, mach_msg_type_number_t tagCnt, int after,
	path_t path, small_t echo, mach_msg_type_number_t *echoCnt, int *last)
{
	mach_msg_type_number_t i;
	(void)server;
	snprintf(path, 128, "/srv/%s", name);
	for (i = 0; i < tagCnt; i++)
		echo[i] = tag[tagCnt - 1 - i];
	*echoCnt = tagCnt;
	*last = after * 2;
	return KERN_SUCCESS;
}

static mach_port_t port_names[3] = { 7, 8, 9 };

kern_return_t do_rt_ports(mach_port_t server, mach_port_t give, mach_port_t poly, mach_msg_type_name_t polyPoly,
	mach_port_t *take, mach_port_array_t *names, mach_msg_type_number_t *namesCnt)
{
	(void)server;
	if (give != 0x200 || poly != 0x300 || polyPoly != MACH_MSG_TYPE_MOVE_SEND)
		return KERN_INVALID_ARGUMENT;
	*take = 0x400;
	*names = port_names;
	*namesCnt = 3;
	return KERN_SUCCESS;
}

kern_return_t do_rt_fail(mach_port_t server, int *never)
{
	(void)server;
	(void)never;
	return KERN_FAILURE;
}

static char ool_reply[4] = { 'p', 'o', 'n', 'g' };
static int ool_seen;

kern_return_t do_rt_ool(mach_port_t server, vm_offset_t data, mach_msg_type_number_t dataCnt, vm_offset_t *back,
	mach_msg_type_number_t *backCnt)
{
	(void)server;
	ool_seen = dataCnt == 4 && memcmp((const char *)data, "ping", 4) == 0;
	*back = (vm_offset_t)ool_reply;
	*backCnt = sizeof(ool_reply);
	return KERN_SUCCESS;
}

kern_return_t do_rt_handlers(mach_port_t server, handler_array_t handlers_in, mach_msg_type_number_t handlers_inCnt,
	mask_array_t masks, mach_msg_type_number_t *masksCnt, handler_array_t handlers)
{
	mach_msg_type_number_t i;
	(void)server;
	if (*masksCnt < handlers_inCnt)
		return KERN_INVALID_ARGUMENT;
	/* Echo the ports back, with a mask for each. */
	for (i = 0; i < handlers_inCnt; i++) {
		handlers[i] = handlers_in[i];
		masks[i] = (int)(1u << i);
	}
	*masksCnt = handlers_inCnt;
	return KERN_SUCCESS;
}

kern_return_t do_rt_bump(mach_port_t server, int *counter)
{
	(void)server;
	*counter += 1;
	return KERN_SUCCESS;
}

kern_return_t do_rt_whoami(mach_port_t server, security_token_t sender, mach_port_seqno_t seqno, int *uid, int *seen_seqno)
{
	(void)server;
	*uid = (int)sender.val[0];
	*seen_seqno = (int)seqno;
	return KERN_SUCCESS;
}

kern_return_t do_rt_notify(mach_port_t server, int code)
{
	(void)server;
	notified_code = code;
	return KERN_SUCCESS;
}

int main(void)
{
	/* Inline scalars, one of them 64 bits wide. */
	{
		uint64_t sum = 0;
		CHECK(rt_add(SERVER_PORT, 40, 2 + ((uint64_t)1 << 40), &sum) == KERN_SUCCESS);
		CHECK(sum == 42 + ((uint64_t)1 << 40));
	}
	/* A variable out array with CountInOut. */
	{
		integer_t info[16];
		mach_msg_type_number_t count = 16;
		memset(info, 0, sizeof(info));
		CHECK(rt_info(SERVER_PORT, 3, info, &count) == KERN_SUCCESS);
		CHECK(count == 3 && info[0] == 1 && info[1] == 11 && info[2] == 21);
		count = 2;
		CHECK(rt_info(SERVER_PORT, 4, info, &count) == KERN_INVALID_ARGUMENT);
		count = 2;
		CHECK(rt_info(SERVER_PORT, 99, info, &count) == MIG_ARRAY_TOO_LARGE);
		CHECK(count == 5);
	}
	/* Strings and a variable char array in both directions, with an int after each. */
	{
		path_t path;
		name_t name = "tool";
		char tag[8] = "abcdef";
		char echo[5];
		mach_msg_type_number_t echoCnt = 5;
		int last = 0;
		memset(path, 0, sizeof(path));
		CHECK(rt_strings(SERVER_PORT, name, tag, 3, 21, path, echo, &echoCnt, &last) == KERN_SUCCESS);
		CHECK(strcmp(path, "/srv/tool") == 0);
		CHECK(echoCnt == 3 && memcmp(echo, "cba", 3) == 0);
		CHECK(last == 42);
		CHECK(rt_strings(SERVER_PORT, name, tag, 6, 1, path, echo, &echoCnt, &last) == MIG_ARRAY_TOO_LARGE);
	}
	/* Ports: a moved right, a polymorphic one, one made for the reply, and an out-of-line array. */
	{
		mach_port_t take = 0;
		mach_port_array_t names = 0;
		mach_msg_type_number_t namesCnt = 0;
		CHECK(rt_ports(SERVER_PORT, 0x200, 0x300, MACH_MSG_TYPE_COPY_SEND, &take, &names, &namesCnt) == KERN_SUCCESS);
		CHECK(take == 0x400);
		CHECK(namesCnt == 3 && names != 0 && names[0] == 7 && names[2] == 9);
	}
	/* An error from the server comes back as the stub's return value. */
	{
		int never = 0;
		CHECK(rt_fail(SERVER_PORT, &never) == KERN_FAILURE);
	}
	/* Out-of-line memory both ways. */
	{
		char ping[4] = { 'p', 'i', 'n', 'g' };
		vm_offset_t back = 0;
		mach_msg_type_number_t backCnt = 0;
		CHECK(rt_ool(SERVER_PORT, (vm_offset_t)ping, 4, &back, &backCnt) == KERN_SUCCESS);
		CHECK(ool_seen);
		CHECK(backCnt == 4 && memcmp((const char *)back, "pong", 4) == 0);
	}
	/* An inline array of ports (port descriptors) in and out, with a SameCount array. */
	{
		mach_port_t in[2] = { 0x500, 0x501 };
		mach_port_t out[4] = { 0, 0, 0, 0 };
		int masks[4] = { 0, 0, 0, 0 };
		mach_msg_type_number_t masksCnt = 4;
		CHECK(rt_handlers(SERVER_PORT, in, 2, masks, &masksCnt, out) == KERN_SUCCESS);
		CHECK(masksCnt == 2 && masks[0] == 1 && masks[1] == 2);
		CHECK(out[0] == 0x500 && out[1] == 0x501);
	}
	/* inout. */
	{
		int counter = 41;
		CHECK(rt_bump(SERVER_PORT, &counter) == KERN_SUCCESS);
		CHECK(counter == 42);
	}
	/* The server sees the sender's security token and the sequence number from the trailer. */
	{
		int uid = 0;
		int seqno = 0;
		CHECK(rt_whoami(SERVER_PORT, &uid, &seqno) == KERN_SUCCESS);
		CHECK(uid == 501 && seqno == 17);
	}
	/* A simpleroutine. */
	CHECK(rt_notify(SERVER_PORT, 77) == MACH_MSG_SUCCESS);
	CHECK(notified_code == 77);
	/* MIG's checks: a truncated request, a reply with the wrong id, an unknown message id. */
	{
		uint64_t sum = 0;
		int destroyed_before;
		corrupt_request_size = 1;
		CHECK(rt_add(SERVER_PORT, 1, 1, &sum) == MIG_BAD_ARGUMENTS);
		destroyed_before = destroyed;
		corrupt_reply_id = 1;
		CHECK(rt_add(SERVER_PORT, 1, 1, &sum) == MIG_REPLY_MISMATCH);
		/* A reply that fails its checks is destroyed (its rights and memory released). */
		CHECK(destroyed == destroyed_before + 1);
	}
	{
		mach_msg_header_t in;
		mig_reply_error_t out;
		memset(&in, 0, sizeof(in));
		in.msgh_id = 4999;
		in.msgh_size = sizeof(in);
		CHECK(roundtrip_server(&in, &out.Head) == FALSE);
		CHECK(out.RetCode == MIG_BAD_ID);
		CHECK(out.Head.msgh_id == 5099);
	}
	printf("roundtrip: %d checks, %d failed\n", checks, failures);
	return failures == 0 ? 0 : 1;
}
