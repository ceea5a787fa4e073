package dev.gnomon.server.api;

import dev.gnomon.protocol.api.Page;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/** Generic types for the route table, so the OpenAPI document can name a page's items. */
final class Types {

    private Types() {
    }

    static Type page(Class<?> item) {
        return new ParameterizedType() {
            @Override
            public Type[] getActualTypeArguments() {
                return new Type[] {item};
            }

            @Override
            public Type getRawType() {
                return Page.class;
            }

            @Override
            public Type getOwnerType() {
                return null;
            }

            @Override
            public String getTypeName() {
                return "Page<" + item.getSimpleName() + ">";
            }
        };
    }
}
