package io.atelier.content.post;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.atelier.content.support.Member;
import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "content-service"))
@WithTestResource(TestTokenKeys.class)
class PaginationUnderInsertsTest {

    TokenForge tokens;

    @Test
    void aWalkSeesEveryExistingPostExactlyOnceWhileNewOnesArrive() throws Exception {
        Member ada = Member.newMember(tokens);
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            before.add(ada.postId("before " + i).toString());
        }
        List<String> during = new CopyOnWriteArrayList<>();
        AtomicBoolean walking = new AtomicBoolean(true);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            while (walking.get() && during.size() < 200) {
                during.add(ada.postId("during " + during.size()).toString());
            }
        });

        List<String> walked = new ArrayList<>();
        String cursor = null;
        do {
            var request = ada.request().queryParam("authorId", ada.id().toString()).queryParam("limit", "3");
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.get("/api/v1/posts").then().statusCode(200).extract().jsonPath();
            walked.addAll(page.getList("items.id"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        walking.set(false);
        writer.get(30, TimeUnit.SECONDS);

        assertThat(during).isNotEmpty();
        assertThat(walked).doesNotHaveDuplicates().containsAll(before);
        // Whatever else the walk met was written during it; nothing from elsewhere.
        List<String> extra = new ArrayList<>(walked);
        extra.removeAll(before);
        assertThat(during).containsAll(extra);
        assertThat(walked.subList(walked.size() - before.size(), walked.size()))
                .containsExactlyElementsOf(before.reversed());
    }
}
